package io.rmb.benchmarks.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.runtime.RequestHandler;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import io.rmb.peer.twin.FileTwinDirectory;
import io.rmb.relay.RelayOptions;
import io.rmb.relay.RelayServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * The echo workload of {@link PeerRoundTrip} driven by the official TypeScript client
 * ({@code @threefold/rmb_direct_client}, {@code cli/src/test/ts-interop/load.js}) as twin 7,
 * next to our Java peer as twin 7, in one run: same relay, same Java echo twin 8, same payload
 * size and number of requests in flight.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.rmb.benchmarks.load.TsClientEcho [scriptDir]
 * [inFlightList] [warmupSeconds] [measureSeconds]}, defaults
 * {@code cli/src/test/ts-interop 32,256 3 10}; {@code npm ci} must have run in scriptDir
 * ({@code mvn verify} does it).
 */
public final class TsClientEcho {
  private static final int SIZE = 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  private TsClientEcho() {}

  public static void main(String[] args) throws Exception {
    Path scriptDir = Path.of(args.length > 0 ? args[0] : "cli/src/test/ts-interop");
    String[] inFlights = (args.length > 1 ? args[1] : "32,256").split(",");
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    int measure = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    if (!Files.isDirectory(scriptDir.resolve("node_modules/@threefold/rmb_direct_client"))) {
      throw new IllegalStateException("run `npm ci` in " + scriptDir + " first");
    }
    Identity a = Identity.fromSecret(Fixtures.SR_SECRET, KeyType.SR25519);
    Identity b = Identity.fromSecret(Fixtures.ED_SECRET, KeyType.ED25519);
    byte[] payload = new byte[SIZE];
    new SecureRandom().nextBytes(payload);
    System.out.printf("payload=%d B warmup=%ds measure=%ds%n", SIZE, warmup, measure);
    // JIT warm-up of the Java side, discarded
    PeerRoundTrip.peers(a, b, payload, 32, 0, warmup * 2);
    for (String value : inFlights) {
      int inFlight = Integer.parseInt(value.trim());
      JsonNode ts = tsRun(scriptDir, a, b, inFlight, warmup, measure);
      double[] java = PeerRoundTrip.peers(a, b, payload, inFlight, warmup, measure);
      System.out.printf("in flight %d: TS client %.0f round trips/s (p50 %s ms, p99 %s ms, "
              + "%.0f per node CPU-second, %d failed) | Java peer %.0f round trips/s "
              + "(%.0f per JVM CPU-second) | TS / Java %.3f%n",
          inFlight, ts.path("perSecond").asDouble(), ts.path("p50ms").asText(),
          ts.path("p99ms").asText(), ts.path("perCpuSecond").asDouble(),
          ts.path("failed").asLong(), java[0], java[1], ts.path("perSecond").asDouble() / java[0]);
    }
  }

  private static JsonNode tsRun(Path scriptDir, Identity a, Identity b, int inFlight,
      int warmup, int measure) throws Exception {
    Path twins = Fixtures.echoTwins(a, b);
    try (RelayServer relay = RelayServer.start(RelayOptions.builder().listen("127.0.0.1:0")
        .domain("localhost").twinsFile(twins).build());
        RmbPeer echo = RmbPeer.create(RmbPeerOptions.builder().identity(b).twin(8)
            .relays("ws://127.0.0.1:" + relay.port()).twins(new FileTwinDirectory(twins)).build())
            .handleOthers(RequestHandler.sync(req -> Reply.of(req.payload(),
                req.schema().orElse(null))))
            .start()) {
      Process node = new ProcessBuilder("node", scriptDir.resolve("load.js").toString(),
          "ws://127.0.0.1:" + relay.port(), twins.toString(), Fixtures.SR_SECRET, "sr25519",
          "8", Integer.toString(inFlight), Integer.toString(SIZE), Integer.toString(warmup),
          Integer.toString(measure))
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      if (!node.waitFor(warmup + measure + 120L, TimeUnit.SECONDS)) {
        node.destroyForcibly();
        throw new IOException("load.js did not finish");
      }
      String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String last = out.strip().lines().reduce((x, y) -> y).orElse("{}");
      JsonNode result = JSON.readTree(last);
      if (!result.path("ok").asBoolean()) {
        throw new IOException("load.js failed: " + out);
      }
      return result;
    }
  }
}
