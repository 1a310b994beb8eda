package io.rmb.cli;

import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rmb relay}: runs a wire-compatible RMB relay. */
@Command(
    name = "relay",
    mixinStandardHelpOptions = true,
    description = {"Runs an RMB relay: WebSocket sessions for twins on one port.",
        "Twins whose relay list names one of our --domain values are queued for",
        "while offline. Runs until interrupted (Ctrl-C)."},
    footer = {"", "Example:",
        "  rmb relay --listen 127.0.0.1:8080 --domain localhost --twins twins.json"})
final class RelayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TwinSourceOptions twins;

  @Option(names = "--listen", paramLabel = "HOST:PORT", defaultValue = "0.0.0.0:8080",
      description = "Address to listen on (default 0.0.0.0:8080).")
  String listen;

  @Option(names = {"-m", "--domain"}, paramLabel = "NAME", required = true,
      description = "Domain this relay serves, as twins name it in their relay list"
          + " (repeatable).")
  List<String> domains = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    RelayOptions options = RelayOptions.builder().listen(listen).domains(domains)
        .twins(twins.directory()).build();
    CountDownLatch stopped = new CountDownLatch(1);
    try (TwinSourceOptions source = twins; RelayServer server = RelayServer.start(options)) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        stopped.countDown();
      }, "rmb-relay-shutdown"));
      spec.commandLine().getErr().println("rmb: relay listening on " + server.localAddress()
          + " for domains " + domains);
      spec.commandLine().getErr().flush();
      stopped.await();
    }
    return 0;
  }
}
