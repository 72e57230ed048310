package headroom.tokenizer.shards;

/** Range checks shared by the shard writers: ids are stored as uint16. */
final class TokenIds {

    static final int MAX_ID = 0xFFFF;

    private TokenIds() {
    }

    static void requireUint16(int bosId, int[] ids) {
        if (bosId < 0 || bosId > MAX_ID) {
            throw new IllegalArgumentException("bosId must be in [0, " + MAX_ID + "], got " + bosId);
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] > MAX_ID) {
                throw new IllegalArgumentException("ids[" + i + "] must be in [0, " + MAX_ID + "] (uint16), got " + ids[i]);
            }
        }
    }
}
