package io.rmb.bridge.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Tags;
import io.rmb.peer.metrics.HealthCheck;
import io.rmb.peer.runtime.Reply;
import io.rmb.peer.runtime.RequestHandler;
import io.rmb.peer.runtime.RmbPeer;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A drop-in replacement for rmb-peer's Redis side: serves rmb-peer's queues (redis-api.md)
 * with an {@link RmbPeer}, so unchanged clients and services keep working.
 *
 * <pre>{@code
 * RmbPeer peer = RmbPeer.create(peerOptions);           // not started: the bridge starts it
 * try (RedisBridge bridge = RedisBridge.create(peer, RedisBridgeOptions.builder()
 *     .redisUri("redis://localhost:6379").build()).start()) {
 *   ...                                                  // serves until closed
 * }
 * }</pre>
 *
 * <p>What it adds to rmb-peer: nothing popped is lost on a crash (processing lists recovered
 * at start, resends keep their uid), malformed requests get an error on their {@code ret}
 * (or go to {@link Keys#DEAD}), and every trim, drop and expiry is counted. One bridge per
 * Redis database and twin, as with rmb-peer: the processing lists belong to it.
 *
 * <p>The bridge owns the peer: it registers its handlers, starts it and closes it.
 */
public final class RedisBridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisBridge.class);
  private static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private enum State { NEW, RUNNING, CLOSED }

  private final RmbPeer peer;
  private final RedisBridgeOptions options;
  private final BridgeMetrics metrics;
  private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
  private final List<StatefulRedisConnection<String, byte[]>> connections = new ArrayList<>();
  private final List<QueueLoop> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean closing;
  private RedisClient client;
  private StatefulRedisConnection<String, byte[]> shared;

  private RedisBridge(RmbPeer peer, RedisBridgeOptions options) {
    this.peer = peer;
    this.options = options;
    this.metrics = new BridgeMetrics(options.meterRegistry(),
        Tags.of("twin", Long.toString(peer.twin())));
  }

  /** A bridge for {@code peer}, which must not be started yet. */
  public static RedisBridge create(RmbPeer peer, RedisBridgeOptions options) {
    return new RedisBridge(Objects.requireNonNull(peer, "peer"),
        Objects.requireNonNull(options, "options"));
  }

  /**
   * Connects to Redis (retrying with backoff while it is unreachable, logging each attempt),
   * starts the peer, then recovers what an earlier run left in the processing lists and
   * serves the queues. Returns once connected; recovery continues in the background.
   *
   * @throws RedisUnavailableException when Redis stays unreachable for the configured attempts
   * @throws InterruptedException when interrupted while waiting to retry
   * @throws IllegalStateException when already started or closed
   */
  public RedisBridge start() throws InterruptedException {
    if (!state.compareAndSet(State.NEW, State.RUNNING)) {
      throw new IllegalStateException("bridge is " + state.get().name().toLowerCase()
          + "; start() can be called once");
    }
    client = RedisClient.create(RedisURI.create(options.redisUri()));
    client.setOptions(ClientOptions.builder().autoReconnect(true).build());
    shared = connect();
    RedisOps ops = new RedisOps(shared.async(), options.maxQueueLength());
    RedisRetry retry = new RedisRetry(options.redisBackoff(), options.clock(), () -> closing,
        metrics);
    Inbox inbox = new Inbox(ops, metrics, options.clock(), retry);
    RequestPipeline requests = new RequestPipeline(peer, ops, metrics, options.clock(),
        options.maxInFlight(), () -> closing, retry, options.timeoutErrors());
    ReplyPipeline replies = new ReplyPipeline(peer, ops, metrics, options.clock(),
        () -> closing);
    peer.handle("rmb.version", RequestHandler.sync(request -> Reply.of(versionJson())));
    peer.handleOthers(inbox::request);
    peer.onUnmatchedAnswer(inbox::unmatched);
    peer.start();
    loop("local", Keys.LOCAL, Keys.LOCAL_PROCESSING, new QueueLoop.Gate() {
      @Override
      public void enter() throws InterruptedException {
        requests.acquire();
      }

      @Override
      public int tryEnter(int max) {
        return requests.tryAcquire(max);
      }

      @Override
      public void unused() {
        requests.release();
      }
    }, requests::process, entry -> ProcessingEntry.decode(entry).isEmpty());
    loop("reply", Keys.REPLY, Keys.REPLY_PROCESSING, new QueueLoop.Gate() {
      @Override
      public void enter() {}

      @Override
      public int tryEnter(int max) {
        return max;
      }

      @Override
      public void unused() {}
    }, replies::process, entry -> true);
    LOG.info("twin {}: serving rmb-peer's Redis queues on {}", peer.twin(),
        options.redisUri());
    return this;
  }

  private void loop(String name, String queue, String processing, QueueLoop.Gate gate,
      QueueLoop.Sink sink, java.util.function.Predicate<byte[]> orphanCandidate)
      throws InterruptedException {
    StatefulRedisConnection<String, byte[]> connection = connect();
    // a blocking pop may take the whole poll timeout: never time it out earlier
    connection.setTimeout(options.pollTimeout().plus(Duration.ofSeconds(30)));
    QueueLoop loop = new QueueLoop(queue, processing, connection.sync(),
        options.pollTimeout(), options.redisBackoff(), gate, sink, metrics, orphanCandidate);
    // after a reconnect, a pop that ran may have lost its reply (QueueLoop: orphans)
    client.addListener(new RedisConnectionStateListener() {
      @Override
      public void onRedisConnected(RedisChannelHandler<?, ?> handler, SocketAddress address) {
        if (handler == connection) {
          loop.reconnected();
        }
      }
    });
    Thread thread = new Thread(loop, "rmb-redis-" + name);
    thread.setDaemon(true);
    loops.add(loop);
    threads.add(thread);
    thread.start();
  }

  private StatefulRedisConnection<String, byte[]> connect() throws InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        StatefulRedisConnection<String, byte[]> connection = client.connect(CODEC);
        synchronized (connections) {
          connections.add(connection);
        }
        if (attempt > 1) {
          LOG.info("connected to Redis at {} after {} attempts", options.redisUri(), attempt);
        }
        return connection;
      } catch (RedisConnectionException e) {
        metrics.redisError("connect");
        if (options.connectAttempts() > 0 && attempt >= options.connectAttempts()) {
          throw new RedisUnavailableException("Redis at " + options.redisUri()
              + " is unreachable after " + attempt + " attempts: " + rootMessage(e), e);
        }
        Duration delay = options.redisBackoff().delay(attempt);
        LOG.warn("Redis at {} is unreachable ({}); retrying in {} ms (attempt {})",
            options.redisUri(), rootMessage(e), delay.toMillis(), attempt);
        Thread.sleep(delay.toMillis()); // a retry delay, not a wait for a condition
      }
    }
  }

  /** The peer this bridge serves (for metrics and health). */
  public RmbPeer peer() {
    return peer;
  }

  /** Up while the Redis connections are open. */
  public HealthCheck redisHealth() {
    return () -> {
      if (state.get() != State.RUNNING) {
        return HealthCheck.Result.down("bridge is " + state.get().name().toLowerCase());
      }
      long open;
      synchronized (connections) {
        open = connections.stream().filter(StatefulRedisConnection::isOpen).count();
        return open == connections.size()
            ? HealthCheck.Result.up(open + " Redis connections open to " + options.redisUri())
            : HealthCheck.Result.down((connections.size() - open) + " of " + connections.size()
                + " Redis connections down (" + options.redisUri() + ")");
      }
    };
  }

  /** True once the processing lists left by an earlier run have been handed over. */
  public boolean recovered() {
    return !loops.isEmpty() && loops.stream().allMatch(QueueLoop::recovered);
  }

  /**
   * Stops popping, closes the peer (unfinished requests stay in the processing list for the
   * next start instead of being answered "peer closed"), then closes Redis.
   */
  @Override
  public void close() {
    State previous = state.getAndSet(State.CLOSED);
    if (previous == State.CLOSED) {
      return;
    }
    loops.forEach(QueueLoop::stop);
    for (Thread thread : threads) {
      try {
        thread.join(options.pollTimeout().plusSeconds(2).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    closing = true;
    peer.close();
    synchronized (connections) {
      connections.forEach(StatefulRedisConnection::close);
    }
    if (client != null) {
      client.shutdown();
    }
  }

  private byte[] versionJson() {
    try {
      return RedisJson.MAPPER.writeValueAsBytes(options.version());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // a string always serializes
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.toString();
  }
}
