package io.rmb.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class ConfigValidationTest {
  private static Map<String, String> sink() {
    Map<String, String> props = new HashMap<>();
    props.put("name", "rmb-sink");
    props.put("connector.class", RmbSinkConnector.class.getName());
    props.put("topics", "rmb.requests,rmb.replies");
    props.put("rmb.mnemonic", "//Alice");
    props.put("rmb.twin.id", "7");
    props.put("rmb.relays", "ws://127.0.0.1:8080");
    props.put("reporter.bootstrap.servers", "127.0.0.1:9092");
    return props;
  }

  private static List<String> errors(Config config, String name) {
    return config.configValues().stream().filter(v -> v.name().equals(name)).findFirst()
        .map(ConfigValue::errorMessages).orElse(List.of());
  }

  private static List<String> allErrors(Config config) {
    return config.configValues().stream().flatMap(v -> v.errorMessages().stream()).toList();
  }

  @Test
  void aCompleteSinkConfigHasNoErrors() {
    assertThat(allErrors(new RmbSinkConnector().validate(sink()))).isEmpty();
  }

  @Test
  void moreThanFourRelaysAreRejected() {
    Map<String, String> props = sink();
    props.put("rmb.relays", "ws://a,ws://b,ws://c,ws://d,ws://e");
    assertThat(errors(new RmbSinkConnector().validate(props), "rmb.relays"))
        .containsExactly("5 relays given; RMB allows at most 4");
  }

  @Test
  void aRelayUrlWithoutHostOrWithAnotherSchemeIsRejected() {
    Map<String, String> props = sink();
    props.put("rmb.relays", "ws://,http://relay.example");
    assertThat(errors(new RmbSinkConnector().validate(props), "rmb.relays")).containsExactly(
        "relay URL ws:// does not parse: Expected authority",
        "relay URL http://relay.example must start with ws:// or wss://");
  }

  @Test
  void aSecretThatDoesNotParseIsRejectedWithoutEchoingIt() {
    Map<String, String> props = sink();
    props.put("rmb.mnemonic", "not a valid mnemonic at all");
    List<String> errors = errors(new RmbSinkConnector().validate(props), "rmb.mnemonic");
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).startsWith("the secret does not parse as a sr25519")
        .doesNotContain("not a valid mnemonic");
  }

  @Test
  void consumingTheResponsesTopicOrTheDlqIsRejected() {
    Map<String, String> props = sink();
    props.put("topics", "rmb.requests,rmb.responses,bad");
    props.put("errors.deadletterqueue.topic.name", "bad");
    assertThat(errors(new RmbSinkConnector().validate(props), "topics")).containsExactly(
        "topics must not include the responses topic rmb.responses: the sink would consume"
            + " its own outcomes",
        "topics must not include the dead letter queue bad");
  }

  @Test
  void aMissingTwinsFileAndAnUnknownKeyTypeAreRejected() {
    Map<String, String> props = sink();
    props.put("rmb.twins.file", "/nonexistent/twins.json");
    props.put("rmb.key.type", "rsa");
    Config config = new RmbSinkConnector().validate(props);
    assertThat(errors(config, "rmb.twins.file"))
        .containsExactly("twins file /nonexistent/twins.json does not exist");
    assertThat(errors(config, "rmb.key.type")).hasSize(1);
  }

  @Test
  void theMnemonicIsAPasswordAndHiddenInToString() {
    RmbSinkConfig config = new RmbSinkConfig(sink());
    assertThat(config.getPassword("rmb.mnemonic")).isEqualTo(new Password("//Alice"));
    assertThat(config.getPassword("rmb.mnemonic").toString()).isEqualTo("[hidden]");
  }

  @Test
  void reporterOverridesReachTheProducerAndBootstrapIsRequired() {
    Map<String, String> props = sink();
    props.put("reporter.linger.ms", "50");
    Map<String, Object> producer = new RmbSinkConfig(props).reporterProps("c");
    assertThat(producer).containsEntry("linger.ms", "50").containsEntry("acks", "all")
        .containsEntry("bootstrap.servers", List.of("127.0.0.1:9092"));
    props.remove("reporter.bootstrap.servers");
    assertThatThrownBy(() -> new RmbSinkConfig(props).reporterProps("c"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("reporter.bootstrap.servers")
        .hasMessageContaining("consumer.override.bootstrap.servers");
    assertThatThrownBy(() -> new RmbSinkConnector().start(props))
        .isInstanceOf(ConfigException.class);
    assertThat(errors(new RmbSinkConnector().validate(props), "reporter.bootstrap.servers"))
        .singleElement().asString().startsWith("no cluster for the outcomes");
  }

  @Test
  void withoutReporterBootstrapTheOutcomesGoWhereTheSinkConsumerReads() {
    Map<String, String> props = sink();
    props.remove("reporter.bootstrap.servers");
    props.put("consumer.override.bootstrap.servers", "10.0.0.1:9092, 10.0.0.2:9092");
    assertThat(allErrors(new RmbSinkConnector().validate(props))).isEmpty();
    assertThat(new RmbSinkConfig(props).reporterProps("c"))
        .containsEntry("bootstrap.servers", List.of("10.0.0.1:9092", "10.0.0.2:9092"));
    props.put("reporter.bootstrap.servers", "127.0.0.1:9092");
    assertThat(new RmbSinkConfig(props).reporterProps("c"))
        .containsEntry("bootstrap.servers", List.of("127.0.0.1:9092"));
  }

  @Test
  void theSourceRunsOneTaskWhateverTasksMaxSays() {
    Map<String, String> props = sink();
    props.remove("topics");
    RmbSourceConnector source = new RmbSourceConnector();
    source.start(props);
    assertThat(source.taskConfigs(3)).hasSize(1);
    assertThat(allErrors(source.validate(props))).isEmpty();
  }

  @Test
  void sinkTasksGetDistinctIdsAndSessions() {
    RmbSinkConnector connector = new RmbSinkConnector();
    connector.start(sink());
    assertThat(connector.taskConfigs(2)).extracting(c -> c.get(RmbSinkConnector.TASK_ID))
        .containsExactly("0", "1");
    assertThat(PeerFactory.sessionOf("my sink/prod", 1)).isEqualTo("my_sink_prod-1");
    assertThat(PeerFactory.sessionOf("x".repeat(100), 12)).hasSize(64).endsWith("x-12");
  }
}
