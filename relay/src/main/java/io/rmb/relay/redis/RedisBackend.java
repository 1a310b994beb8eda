package io.rmb.relay.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.rmb.relay.RelayException;
import io.rmb.relay.queue.QueueLimits;
import java.time.Clock;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One relay instance's link to the shared Redis: the Lettuce client, a multiplexed connection
 * for commands (pipelined, shared by every event loop), a scheduler for periodic work, and this
 * instance's random id. It makes the Redis-backed parts of the relay: {@link #offlineQueue},
 * {@link #presence} and {@link #federationQueue}.
 *
 * <p>Keys are strings (prefixed, see {@link RedisOptions#prefix()}), values raw bytes.
 */
public final class RedisBackend implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RedisBackend.class);
  static final RedisCodec<String, byte[]> CODEC =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final RedisOptions options;
  private final RedisClient client;
  private final StatefulRedisConnection<String, byte[]> connection;
  private final ScheduledExecutorService scheduler;
  private final String instanceId = UUID.randomUUID().toString();

  private RedisBackend(RedisOptions options, RedisClient client,
      StatefulRedisConnection<String, byte[]> connection) {
    this.options = options;
    this.client = client;
    this.connection = connection;
    this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "rmb-relay-redis");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Connects to Redis and checks that it answers.
   *
   * @throws RelayException when Redis cannot be reached
   */
  public static RedisBackend connect(RedisOptions options) {
    Objects.requireNonNull(options, "options");
    RedisClient client = RedisClient.create(RedisURI.create(options.uri()));
    try {
      StatefulRedisConnection<String, byte[]> connection = client.connect(CODEC);
      connection.sync().ping();
      LOG.info("relay instance connected to Redis {}", options);
      return new RedisBackend(options, client, connection);
    } catch (RedisConnectionException e) {
      client.shutdown();
      throw new RelayException("cannot connect to Redis " + options + ": " + e.getMessage(), e);
    }
  }

  /** The options it was made with. */
  public RedisOptions options() {
    return options;
  }

  /** This instance's id (random per start), as written into presence keys. */
  public String instanceId() {
    return instanceId;
  }

  /** A per-session stream queue with {@code limits}. */
  public RedisOfflineQueue offlineQueue(QueueLimits limits, Clock clock) {
    return new RedisOfflineQueue(this, limits, clock);
  }

  /** Session presence and wake-ups shared with the other instances. */
  public RedisPresence presence() {
    return new RedisPresence(this);
  }

  /** The shared, durable stream of envelopes waiting for federation. */
  public RedisFederationQueue federationQueue() {
    return new RedisFederationQueue(this);
  }

  String key(String name) {
    return options.prefix() + name;
  }

  RedisClient client() {
    return client;
  }

  StatefulRedisConnection<String, byte[]> connection() {
    return connection;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** Closes the connections; the Redis data stays for the other instances. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    try {
      scheduler.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    connection.close();
    client.shutdown(0, 2, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "RedisBackend{" + options + ", instance=" + instanceId + "}";
  }
}
