package io.rmb.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.streams.topology.GatewayTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {
  @TempDir Path dir;

  @Test
  void fileThenEnvironmentThenOverridesWin() throws Exception {
    Path file = dir.resolve("gateway.properties");
    Files.writeString(file, String.join("\n",
        "bootstrap.servers=file:9092",
        "rmb.topic.requests=from-file",
        "rmb.topic.responses=from-file",
        "rmb.punctuate.interval.ms=50",
        "processing.guarantee=exactly_once_v2"));

    GatewayConfig config = GatewayConfig.load(Optional.of(file),
        Map.of("RMB_TOPIC_RESPONSES", "from-env", "KAFKA_BOOTSTRAP_SERVERS", "env:9092",
            "PATH", "/usr/bin"),
        Map.of("bootstrap.servers", "flag:9092"));

    GatewayTopics topics = config.topics();
    assertThat(topics.requests()).isEqualTo("from-file");
    assertThat(topics.responses()).isEqualTo("from-env");
    assertThat(topics.dlq()).isEqualTo("rmb.dlq");
    assertThat(config.bootstrapServers()).isEqualTo("flag:9092");
    assertThat(config.punctuateInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.streamsProps()).containsEntry("processing.guarantee", "exactly_once_v2")
        .containsEntry("application.id", "rmb-gateway")
        .doesNotContainKey("rmb.topic.requests").doesNotContainKey("path");
  }

  @Test
  void replyTopicsAreRefusedUnlessAPatternAllowsThem() {
    GatewayConfig none = GatewayConfig.load(Optional.empty(), Map.of(),
        Map.of("bootstrap.servers", "k:9092"));
    GatewayConfig some = GatewayConfig.load(Optional.empty(), Map.of(),
        Map.of("bootstrap.servers", "k:9092", "rmb.reply.topics.pattern", "replies\\..+"));

    assertThat(none.topics().replyTopicAllowed("replies.a")).isFalse();
    assertThat(some.topics().replyTopicAllowed("replies.a")).isTrue();
    assertThat(some.topics().replyTopicAllowed("rmb.gateway.answers")).isFalse();
  }

  @Test
  void badSettingsAreClearErrors() {
    assertThatThrownBy(() -> GatewayConfig.load(Optional.empty(), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("bootstrap.servers");
    assertThatThrownBy(() -> GatewayConfig.load(Optional.empty(), Map.of(),
        Map.of("bootstrap.servers", "k:9092", "rmb.reply.topics.pattern", "(")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("rmb.reply.topics.pattern");
    assertThatThrownBy(() -> GatewayConfig.load(Optional.empty(), Map.of(),
        Map.of("bootstrap.servers", "k:9092", "rmb.punctuate.interval.ms", "0")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("rmb.punctuate.interval.ms");
    assertThatThrownBy(() -> GatewayConfig.load(Optional.of(dir.resolve("missing")), Map.of(),
        Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("cannot read");
  }

  @Test
  void avroNeedsARegistryUrl() {
    assertThatThrownBy(() -> GatewayConfig.load(Optional.empty(), Map.of(),
        Map.of("bootstrap.servers", "b:9092", GatewayConfig.VALUE_FORMAT, "avro")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rmb.schema.registry.url is required when rmb.value.format=avro");
  }

  @Test
  void anUnknownValueFormatIsRefused() {
    assertThatThrownBy(() -> GatewayConfig.load(Optional.empty(), Map.of(),
        Map.of("bootstrap.servers", "b:9092", GatewayConfig.VALUE_FORMAT, "protobuf")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rmb.value.format");
  }

  @Test
  void avroWithARegistryMakesAvroFormatsAndJsonIsTheDefault() {
    GatewayConfig json = GatewayConfig.load(Optional.empty(), Map.of(),
        Map.of("bootstrap.servers", "b:9092"));
    assertThat(json.valueFormats().get().toString()).isEqualTo("json");
    GatewayConfig avro = GatewayConfig.load(Optional.empty(),
        Map.of("RMB_VALUE_FORMAT", "avro"), Map.of("bootstrap.servers", "b:9092",
            GatewayConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1/apis/registry/v2"));
    try (var format = avro.valueFormats().get()) {
      assertThat(format.toString()).isEqualTo("avro");
    }
  }
}
