package headroom.pipelines.run;

import headroom.core.io.Sha256;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The code part of a stage's fingerprint, taken from the code itself: SHA-256 over the class files
 * of every Headroom class the stage's class reaches (its constant pool names them: classes it
 * calls, builds, extends or takes as parameters, then theirs, across all modules). Change any of
 * them and the stage, and through its fingerprint everything downstream, re-runs; change code the
 * stage never reaches and it stays cached.
 * <p>
 * Class files are read as resources of the stage's class loader, so the same bytes are hashed
 * from {@code target/classes}, the module jars of bin/headroom, or the shaded jar under
 * spark-submit (shading copies Headroom's classes unchanged). Debug attributes (line numbers,
 * local variable tables, the source file name) are left out, so moving code or editing a comment
 * does not re-run anything.
 */
public final class CodeFingerprint {

    /** Headroom's own classes; libraries are pinned by the build, not fingerprinted. */
    private static final String PREFIX = "headroom/";
    private static final Pattern CLASS_NAME = Pattern.compile("headroom/[A-Za-z0-9_/$]+");
    private static final Set<String> DEBUG_ATTRIBUTES = Set.of("LineNumberTable", "LocalVariableTable", "LocalVariableTypeTable",
            "SourceFile", "SourceDebugExtension");

    private static volatile CodeFingerprint current = new CodeFingerprint(null);

    /** Internal class name ("headroom/pipelines/prep/PrepStage") -> its class file bytes, or null when there is none. */
    private final Function<String, byte[]> classBytes;
    private final Map<Class<?>, String> cache = new ConcurrentHashMap<>();

    private CodeFingerprint(Function<String, byte[]> classBytes) {
        this.classBytes = classBytes;
    }

    /** The fingerprint of {@code stage}'s code: hex SHA-256 over the classes it reaches. Computed once per class and JVM. */
    public static String of(Class<?> stage) {
        CodeFingerprint f = current;
        return f.cache.computeIfAbsent(stage, f::compute);
    }

    /**
     * For tests: fingerprints computed as if {@code change} had rewritten the class files (it gets an
     * internal class name and that class's bytes, and returns the bytes to hash); closing the returned
     * handle goes back to the real ones. This is how a test changes a stage's implementation.
     */
    public static AutoCloseable simulate(java.util.function.BiFunction<String, byte[], byte[]> change) {
        CodeFingerprint previous = current;
        current = new CodeFingerprint(name -> {
            byte[] bytes = resource(CodeFingerprint.class.getClassLoader(), name);
            return bytes == null ? null : change.apply(name, bytes);
        });
        return () -> current = previous;
    }

    /** The internal names of the Headroom classes {@code stage} reaches, itself included: what its fingerprint covers. */
    static Set<String> reachedBy(Class<?> stage) {
        return current.walk(stage).keySet();
    }

    private String compute(Class<?> stage) {
        MessageDigest digest = Sha256.newDigest();
        walk(stage).forEach((name, bytes) -> {
            digest.update(name.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(bytes);
        });
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Every class reached from {@code stage}, by internal name (sorted, so the digest does not depend on the walk), without debug attributes. */
    private Map<String, byte[]> walk(Class<?> stage) {
        ClassLoader loader = stage.getClassLoader() != null ? stage.getClassLoader() : ClassLoader.getSystemClassLoader();
        Function<String, byte[]> read = classBytes != null ? classBytes : name -> resource(loader, name);
        Map<String, byte[]> reached = new TreeMap<>();
        Deque<String> todo = new ArrayDeque<>();
        todo.add(stage.getName().replace('.', '/'));
        while (!todo.isEmpty()) {
            String name = todo.poll();
            if (reached.containsKey(name)) continue;
            byte[] bytes = read.apply(name);
            if (bytes == null) continue; // a string that looks like a class name but is none
            ClassFile file = ClassFile.parse(name, bytes);
            reached.put(name, file.canonical());
            for (String ref : file.references()) if (!reached.containsKey(ref)) todo.add(ref);
        }
        return reached;
    }

    private static byte[] resource(ClassLoader loader, String internalName) {
        try (InputStream in = loader.getResourceAsStream(internalName + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the class file of " + internalName, e);
        }
    }

    /**
     * One class file (JVMS 4), read just far enough to list the Headroom classes it names and to
     * rewrite it without debug attributes.
     */
    private record ClassFile(Set<String> references, byte[] canonical) {

        static ClassFile parse(String name, byte[] bytes) {
            try {
                return read(new DataInputStream(new java.io.ByteArrayInputStream(bytes)));
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot read the class file of " + name + " to fingerprint the code: " + e, e);
            }
        }

        private static ClassFile read(DataInputStream in) throws IOException {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(buffer);
            copy(in, out, 8); // magic, minor, major
            int count = in.readUnsignedShort();
            out.writeShort(count);
            String[] utf8 = new String[count];
            Set<String> references = new TreeSet<>();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                out.writeByte(tag);
                switch (tag) {
                    case 1 -> {
                        utf8[i] = in.readUTF();
                        out.writeUTF(utf8[i]);
                        Matcher m = CLASS_NAME.matcher(utf8[i]);
                        while (m.find()) references.add(m.group());
                    }
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> copy(in, out, 4);
                    case 5, 6 -> {
                        copy(in, out, 8);
                        i++; // a long or double takes two entries
                    }
                    case 7, 8, 16, 19, 20 -> copy(in, out, 2);
                    case 15 -> copy(in, out, 3);
                    default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
                }
            }
            copy(in, out, 6); // access flags, this class, super class
            int interfaces = in.readUnsignedShort();
            out.writeShort(interfaces);
            copy(in, out, 2 * interfaces);
            for (int members = 0; members < 2; members++) { // fields, then methods
                int n = in.readUnsignedShort();
                out.writeShort(n);
                for (int k = 0; k < n; k++) {
                    copy(in, out, 6); // access flags, name, descriptor
                    attributes(in, out, utf8);
                }
            }
            attributes(in, out, utf8);
            references.removeIf(r -> !r.startsWith(PREFIX));
            return new ClassFile(references, buffer.toByteArray());
        }

        /** Copies an attribute table, leaving out debug attributes, and going into Code attributes for theirs. */
        private static void attributes(DataInputStream in, DataOutputStream out, String[] utf8) throws IOException {
            int n = in.readUnsignedShort();
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            DataOutputStream keptOut = new DataOutputStream(kept);
            int keptCount = 0;
            for (int k = 0; k < n; k++) {
                int nameIndex = in.readUnsignedShort();
                int length = in.readInt();
                String attribute = utf8[nameIndex];
                if (DEBUG_ATTRIBUTES.contains(attribute)) {
                    in.readFully(new byte[length]);
                    continue;
                }
                keptCount++;
                keptOut.writeShort(nameIndex);
                if ("Code".equals(attribute)) {
                    ByteArrayOutputStream code = new ByteArrayOutputStream();
                    DataOutputStream codeOut = new DataOutputStream(code);
                    copy(in, codeOut, 4); // max stack, max locals
                    int codeLength = in.readInt();
                    codeOut.writeInt(codeLength);
                    copy(in, codeOut, codeLength);
                    int handlers = in.readUnsignedShort();
                    codeOut.writeShort(handlers);
                    copy(in, codeOut, 8 * handlers);
                    attributes(in, codeOut, utf8);
                    keptOut.writeInt(code.size());
                    code.writeTo(keptOut);
                } else {
                    keptOut.writeInt(length);
                    copy(in, keptOut, length);
                }
            }
            out.writeShort(keptCount);
            kept.writeTo(out);
        }

        private static void copy(DataInputStream in, DataOutputStream out, int bytes) throws IOException {
            byte[] b = new byte[bytes];
            in.readFully(b);
            out.write(b);
        }
    }
}
