package headroom.pipelines.prep;

import headroom.pipelines.conf.ConfException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Expands the conf's inputs (files, directories, globs; any Hadoop file system) into the list
 * of files to read, on the driver. Files are sorted by path so the listing, and with it every
 * fingerprint, does not depend on the order the file system returns them in.
 */
public final class InputFiles {

    /** One file to read, with what identifies its content for the stage fingerprint. */
    public record InputFile(String path, InputFormat format, long length, long modified) implements Serializable {
    }

    /** The files found, and the files skipped inside directories because of their extension. */
    public record Listing(List<InputFile> files, List<String> ignored) {
        public long totalBytes() {
            return files.stream().mapToLong(InputFile::length).sum();
        }

        public Map<String, String> fingerprints() {
            Map<String, String> m = new TreeMap<>();
            for (InputFile f : files) m.put(f.path(), f.length() + "@" + f.modified());
            return m;
        }
    }

    private static final String PREP_INPUTS = "headroom.prep.inputs";

    private InputFiles() {
    }

    /** The corpus files of {@code headroom.prep.inputs}. */
    public static Listing list(List<String> inputs, Configuration hadoop) {
        return list(PREP_INPUTS, inputs, hadoop);
    }

    /** The files named by conf key {@code key} (paths, globs or directories); errors name that key. */
    public static Listing list(String key, List<String> inputs, Configuration hadoop) {
        TreeMap<String, InputFile> files = new TreeMap<>();
        List<String> ignored = new ArrayList<>();
        for (String input : inputs) {
            Path pattern = qualify(input);
            try {
                FileSystem fs = pattern.getFileSystem(hadoop);
                FileStatus[] matches = fs.globStatus(pattern);
                if (matches == null || matches.length == 0) {
                    throw new ConfException("conf key " + key + ": \"" + input + "\" matches no file");
                }
                for (FileStatus m : matches) {
                    if (m.isDirectory()) {
                        RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
                        while (it.hasNext()) {
                            LocatedFileStatus f = it.next();
                            String name = f.getPath().getName();
                            if (name.startsWith(".") || name.startsWith("_")) continue;
                            InputFormat.of(name).ifPresentOrElse(
                                    fmt -> files.put(f.getPath().toString(), file(f, fmt)),
                                    () -> ignored.add(f.getPath().toString()));
                        }
                    } else {
                        InputFormat fmt = InputFormat.of(m.getPath().getName()).orElseThrow(() -> new ConfException(
                                "conf key " + key + ": " + m.getPath() + " is not a supported corpus file; use " + InputFormat.SUPPORTED));
                        files.put(m.getPath().toString(), file(m, fmt));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list the corpus input \"" + input + "\": " + e.getMessage(), e);
            }
        }
        if (files.isEmpty()) {
            throw new ConfException("conf key headroom.prep.inputs: no corpus file found in " + inputs + "; supported: " + InputFormat.SUPPORTED);
        }
        return new Listing(List.copyOf(files.values()), List.copyOf(ignored));
    }

    private static InputFile file(FileStatus s, InputFormat fmt) {
        return new InputFile(s.getPath().toString(), fmt, s.getLen(), s.getModificationTime());
    }

    /** Relative local paths resolve against the working directory; URIs with a scheme stay as they are. */
    static Path qualify(String input) {
        if (input.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) return new Path(input);
        java.nio.file.Path local = java.nio.file.Path.of(input).toAbsolutePath().normalize();
        return new Path("file://" + local);
    }
}
