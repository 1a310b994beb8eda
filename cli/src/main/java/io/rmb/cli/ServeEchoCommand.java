package io.rmb.cli;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.runtime.RequestHandler;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.RmbPeerOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code rmb serve-echo}: runs a twin that answers every command with its request payload,
 * for tests, demos and benchmarks.
 */
@Command(
    name = "serve-echo",
    mixinStandardHelpOptions = true,
    description = {"Runs a twin that answers every command with the request's payload",
        "(and schema). Runs until interrupted (Ctrl-C)."},
    footer = {"", "Example:",
        "  rmb serve-echo -m //Bob --relay ws://127.0.0.1:8080 --twins twins.json"})
final class ServeEchoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PeerOptions peer;
  @Mixin TwinSourceOptions twins;

  /** The echo handler: the request's own payload and schema. */
  static final RequestHandler ECHO = RequestHandler.sync(request ->
      Reply.of(request.payload(), request.schema().orElse(null)));

  @Override
  public Integer call() throws Exception {
    Identity identity = peer.identity();
    try (TwinSourceOptions source = twins) {
      long ownTwin = source.resolveOwnTwin(peer.twin, identity.publicKey(), identity.ss58());
      RmbPeerOptions.Builder options = RmbPeerOptions.builder().identity(identity).twin(ownTwin)
          .relays(peer.relays.toArray(String[]::new)).twins(source.directory());
      if (peer.session != null) {
        options.session(peer.session);
      }
      CountDownLatch stopped = new CountDownLatch(1);
      try (RmbPeer rmb = RmbPeer.create(options.build()).handleOthers(ECHO).start()) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
          rmb.close();
          stopped.countDown();
        }, "rmb-serve-echo-shutdown"));
        spec.commandLine().getErr().println("rmb: echo twin " + ownTwin + " ("
            + identity.ss58() + ") serving on " + peer.relays);
        spec.commandLine().getErr().flush();
        stopped.await();
      }
      return 0;
    }
  }
}
