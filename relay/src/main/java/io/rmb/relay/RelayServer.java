package io.rmb.relay;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.rmb.relay.federation.FederationIngress;
import io.rmb.relay.federation.FederationQueue;
import io.rmb.relay.federation.HttpFederator;
import io.rmb.relay.federation.InMemoryFederationQueue;
import io.rmb.relay.http.HttpRoute;
import io.rmb.relay.http.HttpRoutes;
import io.rmb.relay.limit.FixedWindowRateLimiter;
import io.rmb.relay.metrics.RelayMetrics;
import io.rmb.relay.queue.OfflineQueue;
import io.rmb.relay.redis.RedisBackend;
import io.rmb.relay.routing.Federator;
import io.rmb.relay.routing.QueueRerouter;
import io.rmb.relay.routing.ReplayFilter;
import io.rmb.relay.routing.Router;
import io.rmb.relay.routing.Switchboard;
import io.rmb.relay.session.Presence;
import io.rmb.relay.session.Session;
import io.rmb.relay.session.SessionRegistry;
import io.rmb.relay.stats.RelayCounters;
import io.rmb.relay.stats.RelayStats;
import io.rmb.relay.websocket.TokenAuthenticator;
import io.rmb.relay.websocket.WebSocketSessionHandler;
import io.rmb.relay.websocket.WebSocketUpgrader;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: one port for WebSocket sessions (any path, JWT as the query string) and
 * HTTP routes.
 *
 * <p>{@link #start(RelayOptions)} binds and returns; {@link #close()} stops accepting, closes
 * every session with a close frame (1001), waits up to the shutdown timeout for connections to
 * go, then stops the event loops. Thread-safe.
 *
 * <p>Besides sessions it serves {@code POST /} (federation ingest, {@link FederationIngress})
 * and {@code GET /metrics} ({@link RelayMetrics}); with Redis it shares its queue, presence and
 * federation work with the other instances on the same Redis (see {@link RelayOptions}). With
 * federation it also runs the re-route sweep ({@link QueueRerouter}): queues of twins that
 * left this relay go to their new relays.
 */
public final class RelayServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);
  /** How often idle offline queues are swept. */
  private static final long QUEUE_SWEEP_SECONDS = 60;

  private final RelayOptions options;
  private final EventLoopGroup group;
  private final Channel serverChannel;
  private final ChannelGroup channels;
  private final SessionRegistry registry;
  private final OfflineQueue queue;
  private final RelayCounters counters;
  private final Parts parts;
  private final ScheduledFuture<?> sweeper;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RelayServer(RelayOptions options, EventLoopGroup group, Channel serverChannel,
      ChannelGroup channels, SessionRegistry registry, OfflineQueue queue,
      RelayCounters counters, Parts parts) {
    this.options = options;
    this.parts = parts;
    this.group = group;
    this.serverChannel = serverChannel;
    this.channels = channels;
    this.registry = registry;
    this.queue = queue;
    this.counters = counters;
    this.sweeper = group.next().scheduleAtFixedRate(this::sweepQueue, QUEUE_SWEEP_SECONDS,
        QUEUE_SWEEP_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * Starts a relay and waits until it listens.
   *
   * @throws RelayException when it cannot listen (address in use, unknown host, ...)
   */
  public static RelayServer start(RelayOptions options) {
    RelayCounters counters = new RelayCounters();
    SessionRegistry registry = new SessionRegistry();
    Parts parts = new Parts();
    try {
      parts.redis = options.redis().map(RedisBackend::connect).orElse(null);
      OfflineQueue queue = options.offlineQueue().orElseGet(() -> parts.redis != null
          ? parts.redis.offlineQueue(options.queueLimits(), options.clock())
          : options.newDefaultQueue());
      parts.ownedQueue = options.offlineQueue().isEmpty() ? queue : null;
      parts.presence = parts.redis != null ? parts.redis.presence() : Presence.local();
      Switchboard switchboard = new Switchboard(registry, queue, parts.presence);
      parts.presence.start(switchboard::wakeLocal);
      // one filter for both doors: a captured envelope is a replay whichever way it comes back
      ReplayFilter replays = new ReplayFilter(ReplayFilter.DEFAULT_CAPACITY, options.clock());
      FederationIngress ingress = new FederationIngress(options.domains(), options.twins(),
          switchboard, options.clock(), replays);
      parts.metrics = RelayMetrics.create(() -> counters.snapshot(registry.size(), queue.stats()),
          ingress);
      Federator federator = options.federator();
      if (options.federation().isPresent()) {
        FederationQueue work = parts.redis != null ? parts.redis.federationQueue()
            : new InMemoryFederationQueue();
        parts.federator = new HttpFederator(options.federation().get(), options.domains(), work,
            options.twins(), switchboard, parts.metrics.registry(), options.clock());
        federator = parts.federator;
        Duration reroute = options.federation().get().rerouteInterval();
        if (!reroute.isZero()) {
          parts.rerouter = new QueueRerouter(options.domains(), options.twins(), switchboard,
              federator, counters, options.clock());
          parts.rerouter.start(reroute);
        }
      }
      parts.limiter = options.rateLimit().map(limit -> new FixedWindowRateLimiter(limit,
          FixedWindowRateLimiter.DEFAULT_WINDOW, options.clock())).orElse(null);
      Router router = new Router(options.domains(), options.twins(), switchboard, federator,
          replays);
      TokenAuthenticator authenticator = new TokenAuthenticator(options.twins(),
          options.clock(), options.maxTokenLifetime().orElse(null));
      WebSocketUpgrader upgrader = new WebSocketUpgrader(authenticator, router, switchboard,
          counters, options.clock(), options.maxFrameSize(),
          options.queueLimits().maxPerSession(), parts.limiter, options.keepAlive());
      List<HttpRoute> routes = new ArrayList<>(HttpRoutes.placeholders());
      routes.add(ingress);
      routes.add(parts.metrics.route());
      routes.add(HttpRoutes.health());
      routes.addAll(options.routes());
      return listen(options, counters, registry, queue, parts, upgrader, routes);
    } catch (RuntimeException e) {
      parts.close();
      throw e;
    }
  }

  private static RelayServer listen(RelayOptions options, RelayCounters counters,
      SessionRegistry registry, OfflineQueue queue, Parts parts, WebSocketUpgrader upgrader,
      List<HttpRoute> routes) {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(options.ioThreads(),
        new DefaultThreadFactory("rmb-relay"), NioIoHandler.newFactory());
    ChannelGroup channels = new DefaultChannelGroup("rmb-relay", GlobalEventExecutor.INSTANCE);
    try {
      Channel server = new ServerBootstrap()
          .group(group)
          .channel(NioServerSocketChannel.class)
          .option(ChannelOption.SO_BACKLOG, 1024)
          .option(ChannelOption.SO_REUSEADDR, true)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new RelayChannelInitializer(channels, counters, List.copyOf(routes),
              upgrader, options.maxBodySize()))
          .bind(options.host(), options.port())
          .syncUninterruptibly()
          .channel();
      RelayServer relay = new RelayServer(options, group, server, channels, registry, queue,
          counters, parts);
      LOG.info("relay listening on {} for domains {}", server.localAddress(), options.domains());
      return relay;
    } catch (Exception e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new RelayException("cannot listen on " + options.host() + ":" + options.port()
          + ": " + e.getMessage(), e);
    }
  }

  /** What the relay made besides the event loops, closed in reverse order of making. */
  private static final class Parts {
    RedisBackend redis;
    OfflineQueue ownedQueue;
    Presence presence;
    RelayMetrics metrics;
    HttpFederator federator;
    QueueRerouter rerouter;
    FixedWindowRateLimiter limiter;

    void close() {
      if (rerouter != null) {
        rerouter.close();
      }
      if (federator != null) {
        federator.close();
      }
      if (presence != null) {
        presence.close();
      }
      if (ownedQueue != null) {
        ownedQueue.close();
      }
      if (redis != null) {
        redis.close();
      }
    }
  }

  /** The port the relay listens on (the chosen one when the options asked for port 0). */
  public int port() {
    return localAddress().getPort();
  }

  /** The address the relay listens on. */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** The options it was started with. */
  public RelayOptions options() {
    return options;
  }

  /** A snapshot of the relay's counters and gauges. */
  public RelayStats stats() {
    return counters.snapshot(registry.size(), queue.stats());
  }

  /** The Prometheus text of the relay's metrics, as {@code GET /metrics} serves it. */
  public String scrapeMetrics() {
    return parts.metrics.scrape();
  }

  /** False once {@link #close()} was called. */
  public boolean isOpen() {
    return !closed.get();
  }

  /**
   * Stops the relay gracefully. Idempotent; must not be called from one of the relay's event
   * loops (it waits for them).
   */
  @Override
  public void close() {
    for (EventExecutor loop : group) {
      if (loop.inEventLoop()) {
        throw new IllegalStateException("RelayServer.close() must not run on a relay event loop");
      }
    }
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long timeoutMillis = options.shutdownTimeout().toMillis();
    sweeper.cancel(false);
    serverChannel.close().awaitUninterruptibly(timeoutMillis);
    for (Session session : registry.sessions()) {
      session.close(Session.CloseCause.SHUTDOWN);
    }
    // plain HTTP connections (idle keep-alive, pending upgrades) have nothing to finish
    channels.close(channel -> channel.pipeline().get(WebSocketSessionHandler.class) == null);
    if (!channels.newCloseFuture().awaitUninterruptibly(timeoutMillis)) {
      LOG.warn("{} connections still open after {} ms, closing them", channels.size(),
          timeoutMillis);
    }
    channels.close().awaitUninterruptibly(timeoutMillis);
    group.shutdownGracefully(0, timeoutMillis, TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(timeoutMillis + 1000);
    parts.close();
    LOG.info("relay on {} stopped", serverChannel.localAddress());
  }

  private void sweepQueue() {
    try {
      queue.evictIdle();
      if (parts.limiter != null) {
        parts.limiter.evictIdle();
      }
    } catch (RuntimeException e) {
      LOG.warn("offline queue sweep failed", e);
    }
  }
}
