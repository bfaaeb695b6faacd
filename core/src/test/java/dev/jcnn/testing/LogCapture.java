package dev.jcnn.testing;

import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;

/** Captures WARN and above from every logger while open. */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> messages = new ArrayList<>();

    public LogCapture() {
        super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        start();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        config.getRootLogger().addAppender(this, Level.WARN, null);
        ctx.updateLoggers();
    }

    @Override
    public synchronized void append(LogEvent event) {
        messages.add(event.getMessage().getFormattedMessage());
    }

    /** The captured messages, one a line. */
    public synchronized String joined() {
        return String.join("\n", messages);
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender(getName());
        ctx.updateLoggers();
        stop();
    }
}
