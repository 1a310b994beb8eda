package io.rmb.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.peer.twin.TwinDirectoryException;
import io.rmb.relay.limit.RateLimit;
import io.rmb.relay.queue.InMemoryOfflineQueue;
import io.rmb.relay.queue.QueueLimits;
import io.rmb.relay.testing.TestTwins;
import io.rmb.relay.websocket.KeepAlive;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RelayOptionsTest {
  @TempDir
  Path dir;

  private RelayOptions.Builder minimal() {
    return RelayOptions.builder().domain(TestTwins.DOMAIN).twins(TestTwins.directory());
  }

  @ParameterizedTest
  @CsvSource({
      "127.0.0.1:8080, 127.0.0.1, 8080",
      "localhost:0, localhost, 0",
      "[::1]:8443, ::1, 8443",
      "[::]:8080, ::, 8080",
      ":9000, 0.0.0.0, 9000",
      "relay.example:65535, relay.example, 65535"})
  void parsesListenAddresses(String text, String host, int port) {
    InetSocketAddress address = RelayOptions.parseListen(text);

    assertThat(address.getHostString()).isEqualTo(host);
    assertThat(address.getPort()).isEqualTo(port);
    assertThat(address.isUnresolved()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "127.0.0.1", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:65536",
      "127.0.0.1:-1", "::1:8080", "[::1]8080", "[::1"})
  void refusesBadListenAddressesClearly(String text) {
    assertThatThrownBy(() -> RelayOptions.parseListen(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid listen address '" + text + "'")
        .hasMessageContaining("expected host:port");
  }

  @Test
  void builderListenUsesTheParser() {
    RelayOptions options = minimal().listen("127.0.0.1:18080").build();

    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.port()).isEqualTo(18080);
    assertThatThrownBy(() -> minimal().listen("nope")).isInstanceOf(
        IllegalArgumentException.class);
  }

  @Test
  void defaults() {
    RelayOptions options = minimal().build();

    assertThat(options.host()).isEqualTo("0.0.0.0");
    assertThat(options.port()).isEqualTo(8080);
    assertThat(options.maxFrameSize()).isEqualTo(1024 * 1024);
    assertThat(options.maxBodySize()).isEqualTo(1024 * 1024);
    assertThat(options.maxTokenLifetime()).contains(Duration.ofHours(1));
    assertThat(options.queueLimits()).isSameAs(QueueLimits.DEFAULT);
    assertThat(options.offlineQueue()).isEmpty();
    assertThat(options.routes()).isEmpty();
  }

  @Test
  void tokenLifetimeBoundCanBeChangedOrLifted() {
    assertThat(minimal().maxTokenLifetime(Duration.ofMinutes(5)).build().maxTokenLifetime())
        .contains(Duration.ofMinutes(5));
    assertThat(minimal().unboundedTokenLifetime().build().maxTokenLifetime()).isEmpty();
  }

  @Test
  void theLimitsAreGroupedAndEachBuilderCallChangesOnlyItsOwn() {
    KeepAlive keepAlive = new KeepAlive(Duration.ofSeconds(5), Duration.ofSeconds(7));
    RelayOptions options = minimal().maxFrameSize(2048).maxBodySize(4096)
        .maxTokenLifetime(Duration.ofMinutes(2)).keepAlive(keepAlive)
        .rateLimit(new RateLimit(10, 1000)).build();

    RelayLimits limits = options.limits();
    assertThat(limits.maxFrameSize()).isEqualTo(2048);
    assertThat(limits.maxBodySize()).isEqualTo(4096);
    assertThat(limits.maxTokenLifetime()).contains(Duration.ofMinutes(2));
    assertThat(limits.keepAlive()).isEqualTo(keepAlive);
    assertThat(limits.rateLimit()).contains(new RateLimit(10, 1000));
    assertThat(options.maxBodySize()).isEqualTo(4096);
    assertThat(options.keepAlive()).isSameAs(keepAlive);
    assertThat(minimal().maxBodySize(4096).build().limits().maxFrameSize())
        .isEqualTo(1 << 20);
    assertThat(minimal().build().limits().rateLimit()).isEmpty();
    assertThat(minimal().build().keepAlive()).isEqualTo(KeepAlive.DEFAULT);
  }

  @Test
  void domainsAreKeptExactly() {
    RelayOptions options = minimal().domain(" Relay.Example ").build();

    assertThat(options.domains()).containsExactly(TestTwins.DOMAIN, "Relay.Example");
  }

  @Test
  void needsADomainAndATwinDirectory() {
    assertThatThrownBy(() -> RelayOptions.builder().twins(TestTwins.directory()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("domain");
    assertThatThrownBy(() -> RelayOptions.builder().domain("x").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("twin directory");
  }

  @Test
  void customQueueExcludesQueueLimits() {
    RelayOptions.Builder builder = minimal().offlineQueue(new InMemoryOfflineQueue())
        .queueLimits(QueueLimits.DEFAULT);

    assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("queueLimits");
  }

  @Test
  void twinsFileIsReadWhenBuilt() throws Exception {
    Path file = TestTwins.writeFile(dir);
    RelayOptions options = minimal().twinsFile(file).build();

    assertThat(options.twins().get(TestTwins.BOB).join())
        .isEqualTo(Optional.of(TestTwins.twin(TestTwins.BOB)));

    Files.writeString(file, "not json");
    assertThatThrownBy(() -> minimal().twinsFile(file).build())
        .isInstanceOf(TwinDirectoryException.class);
  }

  @Test
  void rejectsNonsense() {
    assertThatThrownBy(() -> minimal().maxFrameSize(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> minimal().maxTokenLifetime(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> minimal().domain(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> minimal().listen("127.0.0.1", 70000))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
