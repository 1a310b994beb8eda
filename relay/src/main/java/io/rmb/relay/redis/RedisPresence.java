package io.rmb.relay.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.rmb.relay.session.Presence;
import io.rmb.relay.session.SessionKey;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Presence} through Redis: a key {@code <prefix>session.<twin>[:<sid>]} holding the id
 * of the instance a session is connected to, with an expiry ({@link
 * RedisOptions#presenceTtl()}) that the instance refreshes at a third of it, and a pub/sub
 * channel {@code <prefix>wake} on which an instance that queued an envelope names the session,
 * so the instance holding it drains.
 *
 * <p>A crashed instance stops refreshing and its sessions vanish after the expiry; an instance
 * only deletes a presence key that still names it (the session may have moved on).
 */
public final class RedisPresence implements Presence {
  private static final Logger LOG = LoggerFactory.getLogger(RedisPresence.class);
  /** Deletes the key only while it holds our instance id. */
  private static final String DELETE_IF_OURS =
      "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) "
          + "else return 0 end";

  private final RedisBackend backend;
  private final RedisAsyncCommands<String, byte[]> redis;
  private final String prefix;
  private final String channel;
  private final byte[] instance;
  private final long ttlMillis;
  private final Set<SessionKey> local = ConcurrentHashMap.newKeySet();
  private StatefulRedisPubSubConnection<String, byte[]> subscription;
  private ScheduledFuture<?> refresher;

  RedisPresence(RedisBackend backend) {
    this.backend = backend;
    this.redis = backend.connection().async();
    this.prefix = backend.key("session.");
    this.channel = backend.key("wake");
    this.instance = backend.instanceId().getBytes(StandardCharsets.UTF_8);
    this.ttlMillis = backend.options().presenceTtl().toMillis();
  }

  @Override
  public synchronized void start(Consumer<SessionKey> onWake) {
    Objects.requireNonNull(onWake, "onWake");
    if (subscription != null) {
      throw new IllegalStateException("presence already started");
    }
    subscription = backend.client().connectPubSub(RedisBackend.CODEC);
    subscription.addListener(new RedisPubSubAdapter<>() {
      @Override
      public void message(String from, byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        try {
          onWake.accept(SessionKey.parse(text));
        } catch (IllegalArgumentException e) {
          LOG.warn("ignoring a malformed wake-up on {}: {}", from, e.getMessage());
        }
      }
    });
    // synchronously: a wake-up published after start() returns must reach us
    subscription.sync().subscribe(channel);
    long period = Math.max(1, ttlMillis / 3);
    refresher = backend.scheduler().scheduleAtFixedRate(this::refresh, period, period,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void connected(SessionKey key) {
    local.add(key);
    announce(key);
  }

  @Override
  public void disconnected(SessionKey key) {
    local.remove(key);
    redis.eval(DELETE_IF_OURS, ScriptOutputType.INTEGER, new String[] {presenceKey(key)},
        instance).exceptionally(error -> {
          LOG.debug("cannot withdraw the presence of {}: {}", key, error.toString());
          return null;
        });
  }

  @Override
  public CompletionStage<Boolean> isConnectedElsewhere(SessionKey key) {
    return redis.exists(presenceKey(key)).thenApply(count -> count != null && count > 0);
  }

  @Override
  public void wake(SessionKey key) {
    redis.publish(channel, key.toString().getBytes(StandardCharsets.UTF_8))
        .exceptionally(error -> {
          // the envelope is queued; the session finds it on its next connection at the latest
          LOG.debug("cannot publish a wake-up for {}: {}", key, error.toString());
          return null;
        });
  }

  /** The presence key of {@code key}. */
  public String presenceKey(SessionKey key) {
    return prefix + key;
  }

  private void announce(SessionKey key) {
    redis.set(presenceKey(key), instance, SetArgs.Builder.px(ttlMillis)).exceptionally(error -> {
      LOG.debug("cannot announce {}: {}", key, error.toString());
      return null;
    });
  }

  private void refresh() {
    for (SessionKey key : local) {
      announce(key);
    }
  }

  @Override
  public synchronized void close() {
    if (refresher != null) {
      refresher.cancel(false);
    }
    for (SessionKey key : local) {
      disconnected(key);
    }
    if (subscription != null) {
      subscription.close();
    }
  }
}
