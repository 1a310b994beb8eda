package io.rmb.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The harness starts a real redis-server, and a kill is a real outage. */
class RedisServerIT {

  @Test
  void startsAnswersKillsAndRestartsOnTheSamePort() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      assertThat(redis.command("PING")).isEqualTo("+PONG");
      assertThat(redis.command("SET k v")).isEqualTo("+OK");
      assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());

      redis.kill();
      assertThatThrownBy(() -> redis.command("PING")).isInstanceOf(IOException.class);

      redis.restart();
      assertThat(redis.command("EXISTS k")).isEqualTo(":0");
    }
  }
}
