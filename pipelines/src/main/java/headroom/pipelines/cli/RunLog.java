package headroom.pipelines.cli;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.FileAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The full log of one CLI run: {@code <run-dir>/logs/<start, UTC>-<command>.log}. A log4j2 file
 * appender added for the run's duration receives every event the console gets (whatever the
 * log4j2 configuration, bin/headroom's or spark-submit's) plus the stack trace of a failure, which
 * goes to the file only, so the console stays readable and the trace is never lost.
 */
final class RunLog implements AutoCloseable {

    /** Events of this logger reach the run's log file only (the failure's stack trace). */
    static final String FILE_ONLY = "headroom.runlog";
    static final String DIR = "logs";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Path file;
    private final LoggerContext context;
    private final Appender appender;

    private RunLog(Path file, LoggerContext context, Appender appender) {
        this.file = file;
        this.context = context;
        this.appender = appender;
    }

    /**
     * Starts the log of {@code command} under {@code dir}/logs/. When logging does not go through
     * log4j2-core (an embedding application chose another backend) there is no file, and
     * {@link #file()} is empty.
     */
    static RunLog start(Path dir, String command) {
        Path file = dir.toAbsolutePath().normalize().resolve(DIR).resolve(STAMP.format(Instant.now()) + "-" + command + ".log");
        if (!(LogManager.getContext(false) instanceof LoggerContext context)) return new RunLog(null, null, null);
        Configuration config = context.getConfiguration();
        PatternLayout layout = PatternLayout.newBuilder().withConfiguration(config)
                .withPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5p [%t] %c: %m%n").build(); // traces follow the message
        FileAppender appender = FileAppender.newBuilder().setName("headroom-run-log-" + file.getFileName())
                .withFileName(file.toString()).withCreateOnDemand(false).setLayout(layout).setConfiguration(config).build();
        appender.start();
        config.addAppender(appender);
        // every logger that writes on its own (the root, and any non-additive one) also writes here
        config.getRootLogger().addAppender(appender, null, null);
        for (LoggerConfig logger : config.getLoggers().values()) {
            if (!logger.isAdditive() && logger != config.getRootLogger()) logger.addAppender(appender, null, null);
        }
        LoggerConfig fileOnly = new LoggerConfig(FILE_ONLY, org.apache.logging.log4j.Level.ALL, false);
        fileOnly.addAppender(appender, null, null);
        config.addLogger(FILE_ONLY, fileOnly);
        context.updateLoggers();
        LoggerFactory.getLogger(FILE_ONLY).info("headroom {}: log of this run", command);
        return new RunLog(file, context, appender);
    }

    /** The log file, when there is one. */
    Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** Writes {@code error} with its whole stack trace to the file only. */
    void failure(String what, Throwable error) {
        Logger log = LoggerFactory.getLogger(FILE_ONLY);
        log.error(what, error);
    }

    @Override
    public void close() {
        if (context == null) return;
        Configuration config = context.getConfiguration();
        for (LoggerConfig logger : config.getLoggers().values()) logger.removeAppender(appender.getName());
        config.getRootLogger().removeAppender(appender.getName());
        config.removeLogger(FILE_ONLY);
        context.updateLoggers();
        appender.stop();
    }
}
