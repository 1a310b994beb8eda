package io.rmb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.peer.twin.TwinDirectory;
import io.rmb.relay.RelayOptions;
import io.rmb.relay.limit.RateLimit;
import io.rmb.relay.websocket.KeepAlive;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RelayCommandTest {
  private static final TwinDirectory NO_TWINS =
      id -> CompletableFuture.completedFuture(Optional.empty());

  private static RelayOptions parse(String... args) {
    CommandLine line = new CommandLine(new RelayCommand());
    line.parseArgs(args);
    RelayCommand command = line.getCommand();
    return command.configure(RelayOptions.builder().domains(command.domains)).twins(NO_TWINS)
        .build();
  }

  @Test
  void scaleFlagsReachTheRelayOptions() {
    RelayOptions options = parse("--domain", "r.local", "--redis", "redis://127.0.0.1:6390",
        "--limit", "100", "65536", "--ranker-period", "60", "--federation-scheme", "http",
        "--workers", "3");

    assertThat(options.redis().orElseThrow().uri().getPort()).isEqualTo(6390);
    assertThat(options.rateLimit()).contains(new RateLimit(100, 65536));
    assertThat(options.federation().orElseThrow().scheme()).isEqualTo("http");
    assertThat(options.federation().orElseThrow().workers()).isEqualTo(3);
    assertThat(options.federation().orElseThrow().rankerPeriod())
        .isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void defaultsAreInMemoryUnlimitedAndHttpsFederation() {
    RelayOptions options = parse("--domain", "r.local");

    assertThat(options.redis()).isEmpty();
    assertThat(options.rateLimit()).isEmpty();
    assertThat(options.federation().orElseThrow().scheme()).isEqualTo("https");
    assertThat(options.federation().orElseThrow().rankerPeriod())
        .isEqualTo(Duration.ofHours(1));
    assertThat(options.maxTokenLifetime()).contains(Duration.ofSeconds(3600));
  }

  @Test
  void jwtLifetimeBoundIsConfigurableAndZeroLiftsIt() {
    assertThat(parse("--domain", "r", "--max-jwt-lifetime", "300").maxTokenLifetime())
        .contains(Duration.ofSeconds(300));
    assertThat(parse("--domain", "r", "--max-jwt-lifetime", "0").maxTokenLifetime()).isEmpty();
    assertThatThrownBy(() -> parse("--domain", "r", "--max-jwt-lifetime", "-5"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--max-jwt-lifetime");
  }

  @Test
  void rerouteIntervalIsConfigurableAndZeroTurnsTheSweepOff() {
    assertThat(parse("--domain", "r").federation().orElseThrow().rerouteInterval())
        .isEqualTo(Duration.ofSeconds(5));
    assertThat(parse("--domain", "r", "--reroute-interval", "30").federation().orElseThrow()
        .rerouteInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(parse("--domain", "r", "--reroute-interval", "0").federation().orElseThrow()
        .rerouteInterval()).isZero();
    assertThatThrownBy(() -> parse("--domain", "r", "--reroute-interval", "-1"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--reroute-interval");
  }

  @Test
  void badValuesNameTheFlag() {
    assertThatThrownBy(() -> parse("--domain", "r", "--federation-scheme", "ftp"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("http or https");
    assertThatThrownBy(() -> parse("--domain", "r", "--limit", "0", "10"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("count");
    assertThatThrownBy(() -> parse("--domain", "r", "--redis", "localhost:6379"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("redis://");
    assertThatThrownBy(() -> parse("--domain", "r", "--limit", "10"))
        .isInstanceOf(CommandLine.ParameterException.class);
  }

  @Test
  void limitFlagsReachTheRelayOptions() {
    RelayOptions options = parse("--domain", "r", "--max-frame-size", "4096",
        "--ping-interval", "5", "--pong-timeout", "7");
    assertThat(options.maxFrameSize()).isEqualTo(4096);
    assertThat(options.keepAlive()).isEqualTo(
        new KeepAlive(Duration.ofSeconds(5), Duration.ofSeconds(7)));
    RelayOptions defaults = parse("--domain", "r");
    assertThat(defaults.maxFrameSize()).isEqualTo(1 << 20);
    assertThat(defaults.keepAlive()).isEqualTo(KeepAlive.DEFAULT);
    assertThatThrownBy(() -> parse("--domain", "r", "--ping-interval", "0"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("pingInterval");
    assertThatThrownBy(() -> parse("--domain", "r", "--max-frame-size", "0"))
        .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("maxFrameSize");
  }
}
