package io.rmb.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rmb} command: entry point of the fat jar that {@code bin/rmb} runs.
 *
 * <p>Subcommands: identity, relay, call, serve-echo, peer (the Redis bridge), streams (the
 * Kafka Streams gateway), dev (everything in one process) and send (one request through
 * Kafka).
 */
@Command(
    name = "rmb",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Reliable Message Bus (RMB) tools: identities, relay, bridges to Kafka and Redis.",
    subcommands = {IdentityCommand.class, RelayCommand.class, CallCommand.class,
        ServeEchoCommand.class, PeerCommand.class, StreamsCommand.class, DevCommand.class,
        SendCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success (call, send: every destination answered)",
        "1:a destination failed or timed out (call, send), or an unexpected error",
        "2:bad input: unknown flag, bad value, unreadable file (one line on stderr)"},
    footer = {"", "Examples:", "  rmb dev --demo 1000", "  rmb identity //Alice",
        "  rmb relay --listen 127.0.0.1:8080 --domain localhost --twins twins.json",
        "  rmb serve-echo -m //Bob --relay ws://127.0.0.1:8080 --twins twins.json",
        "  rmb call -m //Alice --relay ws://127.0.0.1:8080 --twins twins.json --dst 8 --cmd echo --data hi",
        "  rmb peer -m \"<mnemonic>\" -r redis://localhost:6379"})
public final class Rmb implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Global: every subcommand accepts it, so long-running processes can log JSON lines. */
  @CommandLine.Option(names = "--log-format", paramLabel = "FORMAT",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Logs on stderr as text (default) or json (one object a line with "
          + "timestamp, level, loggerName, message); also env " + LogSetup.ENV + ".")
  void logFormat(String format) {
    LogSetup.format(format);
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    try {
      LogSetup.fromEnvironment();
    } catch (IllegalArgumentException e) {
      System.err.println("rmb: " + e.getMessage());
      System.exit(2);
    }
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Rmb());
    cli.setExecutionExceptionHandler(new ErrorHandler());
    cli.setParameterExceptionHandler(new ParameterErrorHandler());
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * Prints command-line mistakes without echoing secrets. Picocli names unmatched arguments in
   * its message, and the usual way to get one is an unquoted mnemonic ({@code -m word word
   * ...}): every word after the first would be printed. Here option-like tokens are named (a
   * mistyped flag), other values only counted, and the secret option's value is hidden.
   */
  static final class ParameterErrorHandler implements CommandLine.IParameterExceptionHandler {
    private static final java.util.Set<String> SECRET_OPTIONS =
        java.util.Set.of("-m", "--mnemonic", "--mnemonics", "--seed");

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
      CommandLine cli = ex.getCommandLine();
      String message;
      if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
        java.util.List<String> options = unmatched.getUnmatched().stream()
            .filter(arg -> arg.startsWith("-")).toList();
        int values = unmatched.getUnmatched().size() - options.size();
        message = "unknown " + (options.isEmpty() ? "" : "options " + options
            + (values > 0 ? " and " : "")) + (values > 0 ? values + " unexpected value(s),"
            + " not shown (they may be words of a secret: quote a mnemonic, -m \"word word"
            + " ...\")" : "");
      } else {
        message = hideSecrets(String.valueOf(ex.getMessage()), args);
      }
      cli.getErr().println("rmb: " + message);
      cli.getErr().println("Try '" + cli.getCommandSpec().qualifiedName()
          + " --help' for more information.");
      cli.getErr().flush();
      return cli.getCommandSpec().exitCodeOnInvalidInput();
    }

    static String hideSecrets(String message, String[] args) {
      for (int i = 0; i < args.length; i++) {
        String secret = null;
        int eq = args[i].indexOf('=');
        if (SECRET_OPTIONS.contains(args[i]) && i + 1 < args.length) {
          secret = args[i + 1];
        } else if (eq > 0 && SECRET_OPTIONS.contains(args[i].substring(0, eq))) {
          secret = args[i].substring(eq + 1);
        }
        if (secret != null && !secret.isBlank()) {
          message = message.replace(secret, "[hidden]");
        }
      }
      return message;
    }
  }

  /** Prints the project's own errors as one line instead of a stack trace. */
  static final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cli,
        CommandLine.ParseResult parseResult) {
      if (ex instanceof io.rmb.peer.RmbException || ex instanceof IllegalArgumentException
          || ex instanceof org.apache.kafka.common.config.ConfigException) {
        cli.getErr().println("rmb: " + ex.getMessage());
        return 2;
      }
      cli.getErr().println("rmb: unexpected error: " + ex);
      ex.printStackTrace(cli.getErr());
      return 1;
    }
  }
}
