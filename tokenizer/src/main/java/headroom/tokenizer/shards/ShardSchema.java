package headroom.tokenizer.shards;

import java.nio.file.Path;
import java.util.List;

import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** The Arrow schema of a token shard: one row per document. */
final class ShardSchema {

    static final String DOC_INDEX = "doc_index";   // Int64: position of the document in its split
    static final String IDS = "ids";               // List<UInt2>: [BOS] + ids of the document
    static final String TEXT_BYTES = "text_bytes"; // Int32: UTF-8 bytes of the document's text

    private static final ArrowType INT64 = new ArrowType.Int(64, true);
    private static final ArrowType UINT16 = new ArrowType.Int(16, false);
    private static final ArrowType INT32 = new ArrowType.Int(32, true);

    static final Schema SCHEMA = new Schema(List.of(
            Field.notNullable(DOC_INDEX, INT64),
            new Field(IDS, FieldType.notNullable(ArrowType.List.INSTANCE),
                    List.of(Field.notNullable("item", UINT16))),
            Field.notNullable(TEXT_BYTES, INT32)));

    private ShardSchema() {
    }

    /**
     * Checks names and types, not nullability or the list's child name, so shards written by
     * other Arrow tools (pyarrow names the child "item" and makes it nullable) read too; nulls
     * are rejected row by row.
     */
    static void require(Schema schema, Path file) throws InvalidShardException {
        List<Field> fields = schema.getFields();
        boolean ok = fields.size() == 3
                && isField(fields.get(0), DOC_INDEX, INT64)
                && isField(fields.get(1), IDS, ArrowType.List.INSTANCE)
                && fields.get(1).getChildren().size() == 1
                && fields.get(1).getChildren().get(0).getType().equals(UINT16)
                && isField(fields.get(2), TEXT_BYTES, INT32);
        if (!ok) {
            throw new InvalidShardException(file, "schema must be " + SCHEMA + ", got " + schema);
        }
    }

    private static boolean isField(Field field, String name, ArrowType type) {
        return field.getName().equals(name) && field.getType().equals(type);
    }
}
