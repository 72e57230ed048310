package headroom.pipelines.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes result rows (Java records of numbers, strings and booleans) as a Parquet table for
 * Spark and Zeppelin and a CSV twin for people and spreadsheets. Column names are the record
 * components in snake_case, in declaration order.
 */
public final class RecordTable {

    private RecordTable() {
    }

    public static <R extends Record> void write(SparkSession spark, List<R> rows, Class<R> type, Path base) throws IOException {
        StructType schema = schema(type);
        List<Row> sparkRows = new ArrayList<>(rows.size());
        for (R r : rows) sparkRows.add(RowFactory.create(values(r)));
        spark.createDataFrame(sparkRows, schema).coalesce(1).write().parquet(base + ".parquet");
        Files.writeString(Path.of(base + ".csv"), csv(rows, type), StandardCharsets.UTF_8);
    }

    public static <R extends Record> String csv(List<R> rows, Class<R> type) {
        StringBuilder s = new StringBuilder();
        RecordComponent[] cs = type.getRecordComponents();
        for (int i = 0; i < cs.length; i++) s.append(i == 0 ? "" : ",").append(snake(cs[i].getName()));
        s.append('\n');
        for (R r : rows) {
            Object[] v = values(r);
            for (int i = 0; i < v.length; i++) s.append(i == 0 ? "" : ",").append(cell(v[i]));
            s.append('\n');
        }
        return s.toString();
    }

    public static StructType schema(Class<? extends Record> type) {
        List<StructField> fields = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            fields.add(DataTypes.createStructField(snake(c.getName()), sparkType(c.getType()), !c.getType().isPrimitive()));
        }
        return new StructType(fields.toArray(StructField[]::new));
    }

    private static DataType sparkType(Class<?> t) {
        if (t == int.class || t == Integer.class) return DataTypes.IntegerType;
        if (t == long.class || t == Long.class) return DataTypes.LongType;
        if (t == double.class || t == Double.class) return DataTypes.DoubleType;
        if (t == boolean.class || t == Boolean.class) return DataTypes.BooleanType;
        if (t == String.class) return DataTypes.StringType;
        throw new IllegalArgumentException("a result table column must be a number, a boolean or a string, not " + t.getSimpleName());
    }

    private static Object[] values(Record r) {
        RecordComponent[] cs = r.getClass().getRecordComponents();
        Object[] v = new Object[cs.length];
        for (int i = 0; i < cs.length; i++) {
            try {
                v[i] = cs[i].getAccessor().invoke(r);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
        return v;
    }

    private static String cell(Object v) {
        if (v == null) return "";
        if (v instanceof Double d) return d.isNaN() ? "" : Double.toString(d);
        String s = v.toString();
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    public static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
