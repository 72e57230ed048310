package headroom.pipelines.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * An OS file lock on a file in a directory: two processes that take it never work in that
 * directory at once, and a crashed holder never leaves a stale lock behind (the OS drops it with
 * the process). The file names the holder (pid, host, command, start time), so the one turned
 * away can say who is there. Nightly runs take {@link #NIGHTLY} on their root; every CLI command
 * takes {@link #RUN_DIR} on its run directory.
 */
public final class DirLock implements AutoCloseable {

    public static final String RUN_DIR = ".headroom.lock";
    public static final String NIGHTLY = ".nightly.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The directory is held by another process (or, in the same JVM, by another holder). */
    public static final class HeldException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HeldException(String message) {
            super(message);
        }
    }

    /**
     * Takes the lock {@code fileName} in {@code dir} (created if missing) for {@code command}, or throws
     * {@link HeldException} naming the holder.
     *
     * @param what    what the directory is, for the message: "run directory", "nightly root"
     * @param command what this process is doing, recorded for the next one turned away
     */
    public static DirLock acquire(Path dir, String fileName, String what, String command) {
        Path file = dir.resolve(fileName);
        try {
            Files.createDirectories(dir);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // this JVM holds it already
            }
            if (l == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
                ch.close();
                throw new HeldException("the " + what + " " + dir + " is in use by another headroom process ("
                        + (holder.isEmpty() ? "holder unknown" : holder) + "); this one stops without touching it."
                        + " Wait for that one to finish, or use another directory");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(holder(command).getBytes(StandardCharsets.UTF_8)));
            ch.force(false);
            return new DirLock(ch, l);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    /** "pid 123 on host h, started 2026-11-29T20:41:07Z: headroom sweep --run-dir runs/a". */
    static String holder(String command) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "an unknown host";
        }
        return "pid " + ProcessHandle.current().pid() + " on " + host + ", started " + Instant.now() + ": " + command;
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
