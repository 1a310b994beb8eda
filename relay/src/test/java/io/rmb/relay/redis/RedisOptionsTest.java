package io.rmb.relay.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisOptionsTest {
  @Test
  void acceptsRedisUrlsAndHidesThePasswordInToString() {
    RedisOptions options = RedisOptions.builder("redis://user:secret@db.local:6380/2").build();

    assertThat(options.uri().getPort()).isEqualTo(6380);
    assertThat(options.prefix()).isEqualTo(RedisOptions.DEFAULT_PREFIX);
    assertThat(options.toString()).contains("db.local:6380").doesNotContain("secret");
  }

  @Test
  void refusesWhatIsNotARedisUrl() {
    assertThatThrownBy(() -> RedisOptions.builder("http://db.local"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis://");
    assertThatThrownBy(() -> RedisOptions.builder("redis://"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid Redis URL");
    assertThatThrownBy(() -> RedisOptions.builder("redis://h").presenceTtl(
        java.time.Duration.ofMillis(10))).hasMessageContaining("presenceTtl");
  }
}
