package io.rmb.bridge.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.rmb.testing.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * One real redis-server per test class and a connection with the bridge's codec (string keys,
 * byte values), for tests of the bridge's Redis commands and scripts.
 */
abstract class SingleRedis {
  static RedisServer server;
  static RedisClient client;
  static StatefulRedisConnection<String, byte[]> connection;

  @BeforeAll
  static void startRedis() throws Exception {
    server = RedisServer.start();
    client = RedisClient.create(server.uri());
    connection = client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
  }

  @AfterAll
  static void stopRedis() {
    if (client != null) {
      client.shutdown();
    }
    if (server != null) {
      server.close();
    }
  }
}
