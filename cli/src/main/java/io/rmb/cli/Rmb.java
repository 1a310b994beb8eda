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
    footer = {"", "Examples:", "  rmb dev --demo 1000", "  rmb identity //Alice",
        "  rmb relay --listen 127.0.0.1:8080 --domain localhost --twins twins.json",
        "  rmb serve-echo -m //Bob --relay ws://127.0.0.1:8080 --twins twins.json",
        "  rmb call -m //Alice --relay ws://127.0.0.1:8080 --twins twins.json --dst 8 --cmd echo --data hi",
        "  rmb peer -m \"<mnemonic>\" -r redis://localhost:6379"})
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
