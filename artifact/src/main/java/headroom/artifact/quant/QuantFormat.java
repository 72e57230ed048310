package headroom.artifact.quant;

/**
 * How one tensor's values are stored in the container (DESIGN.md, "scoring"). Integer formats are
 * per-row symmetric with one fp16 scale per row; the float formats store every value as is.
 */
public enum QuantFormat {
    INT8(8, true),
    INT7(7, true),
    INT6(6, true),
    INT5(5, true),
    INT4(4, true),
    FP16(16, false),
    /** Reference only: the unquantized weights, to measure what quantization costs. */
    FP32(32, false);

    private final int bits;
    private final boolean integer;

    QuantFormat(int bits, boolean integer) {
        this.bits = bits;
        this.integer = integer;
    }

    public int bits() {
        return bits;
    }

    /** True for the per-row scaled formats (int8 down to int4). */
    public boolean isInteger() {
        return integer;
    }

    /** Largest magnitude of a symmetric integer code: 127 for int8, 63 for int7, 31 for int6, 15 for int5, 7 for int4. */
    public int qmax() {
        if (!integer) throw new IllegalStateException(this + " is not an integer format");
        return (1 << (bits - 1)) - 1;
    }

    /** Bytes that n values take once bit-packed: ceil(n * bits / 8). */
    public long packedBytesFor(long n) {
        if (n < 0) throw new IllegalArgumentException("value count must be >= 0, got " + n);
        return Math.addExact(Math.multiplyExact(n, bits), 7) / 8;
    }

    /** The integer formats, widest first: the bit widths a precision plan or the allocator can choose. */
    public static java.util.List<QuantFormat> integers() {
        return java.util.Arrays.stream(values()).filter(QuantFormat::isInteger).toList();
    }

    /** The spec names of every format, joined for error messages: "int8|int7|int6|int5|int4|fp16|fp32". */
    public static String allowed() {
        return String.join("|", java.util.Arrays.stream(values()).map(QuantFormat::specName).toList());
    }

    /** Lower-case spec name, as used in precision plan specs ("int6"). */
    public String specName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
