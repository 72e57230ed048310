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

    /** Reads a CSV that {@link #write} wrote back into records; fails naming the file, line and column. */
    public static <R extends Record> List<R> readCsv(Path file, Class<R> type) {
        List<CsvRecord> records;
        try {
            records = records(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
        if (records.isEmpty()) throw new IllegalStateException(file + " is empty: it needs a header line");
        List<String> header = records.get(0).cells();
        RecordComponent[] components = type.getRecordComponents();
        int[] column = new int[components.length];
        for (int i = 0; i < components.length; i++) {
            column[i] = header.indexOf(snake(components[i].getName()));
            if (column[i] < 0) {
                throw new IllegalStateException(file + " has no column " + snake(components[i].getName())
                        + " (columns: " + header + "): it was written by another version; re-run the stage that wrote it");
            }
        }
        Class<?>[] types = java.util.Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        List<R> rows = new ArrayList<>();
        for (CsvRecord record : records.subList(1, records.size())) {
            List<String> cells = record.cells();
            int line = record.line();
            if (cells.size() != header.size()) {
                throw new IllegalStateException(file + " line " + line + " has " + cells.size() + " cells, the header " + header.size());
            }
            Object[] values = new Object[components.length];
            for (int i = 0; i < components.length; i++) values[i] = parse(types[i], cells.get(column[i]), file, line);
            try {
                rows.add(type.getDeclaredConstructor(types).newInstance(values));
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw new IllegalStateException(file + " line " + line + ": " + e.getCause().getMessage(), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build a " + type.getSimpleName() + " row", e);
            }
        }
        return rows;
    }

    /** One CSV record: its cells and the line it starts on (1-based), for error messages. */
    record CsvRecord(int line, List<String> cells) {
    }

    /**
     * The records of a CSV text as {@link #write} writes it (RFC 4180): a quoted cell may hold commas,
     * doubled quotes and line breaks, so records are cut at unquoted line breaks, never at every
     * line. Blank lines between records are skipped; {@code \r\n} ends a record like {@code \n}.
     */
    static List<CsvRecord> records(String text) {
        List<CsvRecord> out = new ArrayList<>();
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean empty = true; // nothing read yet for the current record
        int line = 1;
        int recordLine = 1;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    if (ch == '\n') line++;
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
                empty = false;
            } else if (ch == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
                empty = false;
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                if (!empty) {
                    cells.add(cell.toString());
                    out.add(new CsvRecord(recordLine, List.copyOf(cells)));
                }
                cells.clear();
                cell.setLength(0);
                empty = true;
                line++;
                recordLine = line;
            } else {
                cell.append(ch);
                empty = false;
            }
        }
        if (quoted) throw new IllegalArgumentException("the quoted cell opened on line " + recordLine + " never closes");
        if (!empty) {
            cells.add(cell.toString());
            out.add(new CsvRecord(recordLine, List.copyOf(cells)));
        }
        return out;
    }

    private static Object parse(Class<?> type, String cell, Path file, int line) {
        try {
            if (type == int.class) return Integer.parseInt(cell);
            if (type == long.class) return Long.parseLong(cell);
            if (type == double.class) return cell.isEmpty() ? Double.NaN : Double.parseDouble(cell); // NaN is written as ""
            if (type == boolean.class) return Boolean.parseBoolean(cell);
            return cell;
        } catch (NumberFormatException e) {
            throw new IllegalStateException(file + " line " + line + ": '" + cell + "' is not a " + type.getSimpleName(), e);
        }
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
        return s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    public static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
