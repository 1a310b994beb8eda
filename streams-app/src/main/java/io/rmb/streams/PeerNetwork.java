package io.rmb.streams;

import io.rmb.peer.runtime.IncomingRequest;
import io.rmb.peer.runtime.OutgoingRequest;
import io.rmb.peer.runtime.Outcome;
import io.rmb.peer.runtime.RmbPeer;
import io.rmb.peer.runtime.UnmatchedAnswer;
import io.rmb.streams.metrics.GatewayMetrics;
import io.rmb.streams.record.Answer;
import io.rmb.streams.record.RecordCodec;
import io.rmb.streams.record.Reply;
import io.rmb.streams.record.RmbHeaders;
import io.rmb.streams.record.ValueFormat;
import io.rmb.streams.topology.GatewayTopics;
import io.rmb.streams.topology.InFlight;
import io.rmb.streams.topology.LocalAnswers;
import io.rmb.streams.topology.IncomingEntry;
import io.rmb.streams.topology.RmbNetwork;
import io.rmb.streams.topology.Uids;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topology's {@link RmbNetwork} on an {@link RmbPeer}: requests go out under the uid and
 * issue time of their in-flight entry; every answer (also one for a uid sent before a
 * restart) is written by a plain producer to the partition of the answers topic its uid
 * names. Service mode: requests for our twin are written to the incoming topic (after their
 * index entry) and answered later from {@code rmb.replies}.
 *
 * <p>Nothing here blocks: requests are handed to the peer on a sender thread, and the peer
 * and the producer both work asynchronously.
 */
final class PeerNetwork implements RmbNetwork {
  private static final Logger LOG = LoggerFactory.getLogger(PeerNetwork.class);

  private final RmbPeer peer;
  private final Producer<String, byte[]> producer;
  private final GatewayTopics topics;
  private final RecordCodec codec;
  private final ValueFormat format;
  private final GatewayMetrics metrics;
  private final Clock clock;
  private final Serializer<IncomingEntry> indexSerializer = IncomingEntry.serde().serializer();
  /**
   * Hands requests to the peer off the stream thread. {@code RmbPeer.request} looks the twin
   * up on the calling thread and, when that lookup is already complete, also encrypts, signs
   * and writes the envelope there (measured: sr25519 signing and socket writes on the stream
   * thread). The stream thread serves both the requests and the answers of every partition,
   * so each millisecond it spends here delays every record behind it; one sender thread keeps
   * that work in parallel with it.
   */
  private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "rmb-gateway-send");
    thread.setDaemon(true);
    return thread;
  });
  /** Runs follow-up sends: a producer callback must not call send (it runs on its I/O thread). */
  private final ExecutorService followUps = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "rmb-gateway-incoming");
    thread.setDaemon(true);
    return thread;
  });
  private volatile boolean closing;
  private final LocalAnswers local = new LocalAnswers();

  PeerNetwork(RmbPeer peer, Producer<String, byte[]> producer, GatewayTopics topics,
      GatewayMetrics metrics, Clock clock) {
    this(peer, producer, topics, metrics, clock, ValueFormat.JSON);
  }

  /** With the value format of {@code rmb.incoming} (used on the follow-up thread only). */
  PeerNetwork(RmbPeer peer, Producer<String, byte[]> producer, GatewayTopics topics,
      GatewayMetrics metrics, Clock clock, ValueFormat format) {
    this.format = format;
    this.peer = peer;
    this.producer = producer;
    this.topics = topics;
    this.codec = new RecordCodec(clock);
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Registers the peer hooks; call before the peer starts. */
  PeerNetwork attach(boolean serviceMode) {
    peer.onUnmatchedAnswer(this::unmatched);
    if (serviceMode) {
      peer.handleOthers(this::incoming);
    }
    return this;
  }

  /**
   * The peer is about to close: its local "peer closed" failures are not outcomes (the next
   * run resends); real answers still arriving are written until the producer closes.
   */
  void closing() {
    closing = true;
  }

  /** Stops the sender and follow-up threads; after the peer closed, before the producer closes. */
  void close() {
    sender.shutdown();
    followUps.shutdown();
    try {
      // the format's registry client is used by a follow-up still running
      followUps.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    format.close();
  }

  @Override
  public void send(InFlight request) {
    OutgoingRequest outgoing = OutgoingRequest.builder()
        .uid(request.uid())
        .issuedAt(Instant.ofEpochMilli(request.issuedAtMillis()))
        .ttl(Duration.ofMillis(request.deadlineMillis() - request.issuedAtMillis()))
        .destinations(request.remaining())
        .command(request.command())
        .payload(request.payload())
        .schema(request.schema())
        .tags(request.tags())
        .build();
    try {
      sender.execute(() -> request(outgoing, request));
    } catch (RejectedExecutionException e) {
      // closing: the request stays in the store and the next run sends it
      metrics.request("not-resent");
    }
  }

  private void request(OutgoingRequest outgoing, InFlight request) {
    try {
      peer.request(outgoing).onOutcome(o -> publish(request.uid(), request.inputPartition(), o));
    } catch (IllegalStateException e) {
      // still waiting here (the task came back to this process) or the peer is closing:
      // either way the first send's answers, or the deadline, end it
      metrics.request("not-resent");
      LOG.debug("request {} not handed to the peer: {}", request.uid(), e.getMessage());
    } catch (RuntimeException e) {
      // on the stream thread this would have failed the thread; here the deadline ends it
      metrics.request("send-failed");
      LOG.warn("request {} not handed to the peer (its deadline will end it)", request.uid(), e);
    }
  }

  private void unmatched(UnmatchedAnswer answer) {
    OptionalInt partition = Uids.partitionOf(answer.uid());
    if (partition.isEmpty()) {
      metrics.answerDropped("foreign-uid");
      return;
    }
    publish(answer.uid(), partition.getAsInt(), answer.outcome());
  }

  void publish(String uid, int partition, Outcome outcome) {
    if (outcome instanceof Outcome.Timeout) {
      return; // timeouts are the topology's, at the deadline it stored
    }
    if (closing && outcome instanceof Outcome.Error e && e.origin() == Outcome.Origin.LOCAL) {
      return;
    }
    Answer answer = Answer.of(outcome);
    producer.send(new ProducerRecord<>(topics.answers(), partition, uid, codec.answer(answer)),
        (metadata, error) -> {
          if (error != null) {
            metrics.answerDropped("publish-failed");
            LOG.warn("answer for {} not written (its deadline will end it): {}", uid,
                error.toString());
          } else {
            // only once the topic copy is written: it is the one a crash replays. Offered
            // earlier, the outcome could be written while a crash lost the copy, and the
            // replayed request, sent again, would be dropped by the remote replay guard and
            // time out after its response. This copy then still saves the fetch hop.
            local.offer(partition, uid, answer);
          }
        });
  }

  @Override
  public Optional<LocalAnswers> localAnswers() {
    return Optional.of(local);
  }

  private CompletionStage<io.rmb.peer.runtime.Reply> incoming(IncomingRequest request) {
    String src = request.sourceTwin() + request.sourceConnection().map(c -> ":" + c).orElse("");
    long ttl = Math.max(0, (request.deadline().toEpochMilli() - clock.millis() + 999) / 1000);
    CompletableFuture<io.rmb.peer.runtime.Reply> done = new CompletableFuture<>();
    // the index first: a reply must never arrive before the index knows its request
    byte[] entry = indexSerializer.serialize(topics.incomingIndex(),
        new IncomingEntry(src, request.deadline().toEpochMilli()));
    producer.send(new ProducerRecord<>(topics.incomingIndex(), request.uid(), entry),
        (indexed, indexError) -> {
          if (indexError != null) {
            failIncoming(done, request, indexError);
          } else {
            followUps.execute(() -> publishIncoming(done, request, src, ttl));
          }
        });
    return done;
  }

  private void publishIncoming(CompletableFuture<io.rmb.peer.runtime.Reply> done,
      IncomingRequest request, String src, long ttl) {
    ProducerRecord<String, byte[]> record;
    try {
      record = new ProducerRecord<>(topics.incoming(), src, format.fromJson(topics.incoming(),
          ValueFormat.RecordType.INCOMING, codec.incoming(request.uid(), src,
              request.command(), ttl, request.payload(), request.schema().orElse(null),
              request.tags().orElse(null))));
    } catch (RuntimeException e) { // the registry refused or is unreachable
      failIncoming(done, request, e);
      return;
    }
    record.headers().add(RmbHeaders.CMD, RmbHeaders.utf8(request.command()));
    try {
      producer.send(record, (written, error) -> {
        if (error != null) {
          failIncoming(done, request, error);
        } else {
          metrics.incoming("published");
          done.complete(io.rmb.peer.runtime.Reply.later());
        }
      });
    } catch (RuntimeException e) {
      failIncoming(done, request, e);
    }
  }

  private void failIncoming(CompletableFuture<io.rmb.peer.runtime.Reply> done,
      IncomingRequest request, Exception error) {
    metrics.incoming("failed");
    LOG.warn("incoming request {} not published: {}", request.uid(), error.toString());
    done.complete(io.rmb.peer.runtime.Reply.error(500,
        "gateway could not queue the request: " + error.getMessage()));
  }

  @Override
  public void reply(Reply reply) {
    CompletableFuture<Void> sent;
    try {
      sent = peer.reply(reply.ref(), reply.twin(), reply.connection(), reply.toAnswer());
    } catch (IllegalStateException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    sent.whenComplete((ignored, error) -> {
      if (error != null) {
        metrics.reply("failed");
        LOG.warn("reply to {} not sent: {}", reply.ref(), error.toString());
        return;
      }
      metrics.reply("sent");
      // answered: a second reply to the same request is now "unknown"
      producer.send(new ProducerRecord<>(topics.incomingIndex(), reply.ref(), null));
    });
  }
}
