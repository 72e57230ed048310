package headroom.model.nn;

import headroom.core.TensorClass;
import headroom.core.WeightTensor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A flat file of named float tensors (weights, optimizer moments): magic, version, count, then per
 * tensor its name, class, shape and values. Lossless; not the compressed scoring artifact.
 */
public final class TensorFile {

    private static final int MAGIC = 0x48525754; // "HRWT"
    private static final int VERSION = 1;

    private TensorFile() {
    }

    public static void write(Path file, List<WeightTensor> tensors) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(tensors.size());
            for (WeightTensor t : tensors) {
                out.writeUTF(t.name());
                out.writeUTF(t.tensorClass().name());
                out.writeInt(t.shape().length);
                for (int s : t.shape()) out.writeInt(s);
                for (float v : t.values()) out.writeFloat(v);
            }
        }
    }

    public static List<WeightTensor> read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            int magic = in.readInt();
            int version = in.readInt();
            if (magic != MAGIC || version != VERSION) {
                throw new IOException(file + " is not a Headroom tensor file (magic " + Integer.toHexString(magic) + ", version "
                        + version + "); re-run the train stage to write it again");
            }
            int count = in.readInt();
            List<WeightTensor> tensors = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                TensorClass tensorClass = TensorClass.valueOf(in.readUTF());
                int[] shape = new int[in.readInt()];
                long n = 1;
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = in.readInt();
                    n *= shape[d];
                }
                float[] values = new float[Math.toIntExact(n)];
                for (int j = 0; j < values.length; j++) values[j] = in.readFloat();
                tensors.add(new WeightTensor(name, tensorClass, shape, values));
            }
            return tensors;
        }
    }
}
