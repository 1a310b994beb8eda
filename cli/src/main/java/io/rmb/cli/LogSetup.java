package io.rmb.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.net.URL;
import java.util.Locale;
import java.util.Set;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The log format and levels of the {@code rmb} process: the cli is the only module that picks a
 * logging backend (logback); libraries log through slf4j-api only.
 *
 * <p>{@code logback.xml} reads {@value #ENV} (environment or system property) when the first
 * logger is made; {@link #format} re-reads it with a format given on the command line.
 */
final class LogSetup {
  /** Environment variable (or system property) naming the log format. */
  static final String ENV = "RMB_LOG_FORMAT";
  static final Set<String> FORMATS = Set.of("text", "json");

  private LogSetup() {}

  /** Checks a format name; an unknown one is an error rather than a process without logs. */
  static String checked(String format, String where) {
    String f = format.trim().toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(f)) {
      throw new IllegalArgumentException(where + ": unknown log format '" + format
          + "' (text or json)");
    }
    return f;
  }

  /** The format from the environment, checked; {@code null} when unset. */
  static String fromEnvironment() {
    String value = System.getProperty(ENV, System.getenv(ENV));
    return value == null || value.isBlank() ? null : checked(value, ENV);
  }

  /** Switches every log line of this process to {@code format} (text or json). */
  static void format(String format) {
    String f = checked(format, "--log-format");
    System.setProperty(ENV, f);
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (!(factory instanceof LoggerContext context)) {
      return; // another backend (a test classpath): it keeps its own format
    }
    URL config = LogSetup.class.getResource("/logback.xml");
    if (config == null) {
      return;
    }
    // levels set in code (-d, dev's quiet demo) come after parsing, so a reset loses nothing
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    try {
      configurator.doConfigure(config);
    } catch (JoranException e) {
      throw new IllegalStateException("cannot configure logging from " + config, e);
    }
  }

  /** Sets one logger's level (debug, trace, error...). */
  static void level(String logger, String level) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger(logger).setLevel(Level.toLevel(level, Level.INFO));
    }
  }
}
