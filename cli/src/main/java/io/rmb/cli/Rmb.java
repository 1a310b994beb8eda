package io.rmb.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rmb} command: entry point of the fat jar that {@code bin/rmb} runs.
 *
 * <p>Subcommands are added as the components land (identity now; relay, peer, streams later).
 */
@Command(
    name = "rmb",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Reliable Message Bus (RMB) tools: identities, relay, bridges to Kafka and Redis.",
    subcommands = {IdentityCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Examples:", "  rmb identity //Alice", "  rmb identity --key-type ed25519 \"<mnemonic>\""})
public final class Rmb implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Rmb());
    cli.setExecutionExceptionHandler(new ErrorHandler());
    return cli;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Prints the project's own errors as one line instead of a stack trace. */
  static final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cli,
        CommandLine.ParseResult parseResult) {
      if (ex instanceof io.rmb.peer.RmbException || ex instanceof IllegalArgumentException) {
        cli.getErr().println("rmb: " + ex.getMessage());
        return 2;
      }
      cli.getErr().println("rmb: unexpected error: " + ex);
      ex.printStackTrace(cli.getErr());
      return 1;
    }
  }
}
