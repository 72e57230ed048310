package headroom.pipelines.nightly;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * An OS file lock on {@code <root>/.nightly.lock}: two nightly runs on one root never overlap, and
 * a crashed run never leaves a stale lock behind (the OS drops it with the process).
 */
final class NightLock implements AutoCloseable {

    static final String FILE = ".nightly.lock";
    private final FileChannel channel;
    private final FileLock lock;

    private NightLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static NightLock acquire(Path root) {
        Path file = root.resolve(FILE);
        try {
            Files.createDirectories(root);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
                ch.close();
                throw new IllegalStateException("another nightly run is in progress on " + root + " (" + holder
                        + "); this one stops without touching it");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " since " + Instant.now()).getBytes(StandardCharsets.UTF_8)));
            return new NightLock(ch, l);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
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
