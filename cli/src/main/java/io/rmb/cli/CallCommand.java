package io.rmb.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.RequestHandle;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rmb call}: sends one request to one or more twins and prints each outcome. */
@Command(
    name = "call",
    mixinStandardHelpOptions = true,
    description = {
        "Sends a command to one or more twins through the relay and prints one JSON line",
        "per destination: {\"twin\", \"status\" (response|error|timeout), \"data\" or",
        "\"code\"/\"message\"}."},
    footer = {"", "Example:",
        "  rmb call -m //Alice --relay ws://127.0.0.1:8080 --twins twins.json \\",
        "      --dst 8 --cmd echo --data '{\"hello\":1}'",
        "", "Exit codes: 0 every destination answered, 1 some error or timeout, 2 usage."})
final class CallCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;
  @Mixin PeerOptions peer;
  @Mixin TwinSourceOptions twins;

  @Option(names = "--dst", paramLabel = "TWIN", required = true,
      description = "Destination twin id (repeatable).")
  List<Long> destinations = new ArrayList<>();

  @Option(names = "--cmd", paramLabel = "NAME", required = true, description = "Command name.")
  String command;

  @Option(names = "--data", paramLabel = "TEXT", defaultValue = "",
      description = "Request payload (sent as UTF-8 text, schema application/json).")
  String data;

  @Option(names = "--timeout", paramLabel = "S", defaultValue = "30",
      description = "Seconds to wait for each answer (default 30; at most 1800).")
  long timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    if (timeoutSeconds < 1) {
      throw new IllegalArgumentException("--timeout must be at least 1 second");
    }
    Identity identity = peer.identity();
    try (TwinSourceOptions source = twins) {
      RmbPeerOptions options = peer.runtimeOptions(identity, source);
      try (RmbPeer rmb = RmbPeer.create(options).start()) {
        RequestHandle handle = rmb.request(destinations, command,
            data.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(timeoutSeconds));
        boolean allAnswered = true;
        for (Outcome outcome : handle.all().join()) {
          spec.commandLine().getOut().println(JSON.writeValueAsString(describe(outcome)));
          allAnswered &= outcome.kind() == Outcome.Kind.RESPONSE;
        }
        spec.commandLine().getOut().flush();
        return allAnswered ? 0 : 1;
      }
    }
  }

  static ObjectNode describe(Outcome outcome) {
    ObjectNode line = JSON.createObjectNode();
    line.put("twin", outcome.twin());
    line.put("status", outcome.kind().name().toLowerCase(java.util.Locale.ROOT));
    if (outcome instanceof Outcome.Response response) {
      line.put("data", response.payloadText());
      response.schema().ifPresent(schema -> line.put("schema", schema));
    } else if (outcome instanceof Outcome.Error error) {
      line.put("code", error.code());
      line.put("message", error.message());
      line.put("origin", error.origin().name().toLowerCase(java.util.Locale.ROOT));
    }
    return line;
  }
}
