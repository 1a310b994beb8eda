package io.rmb.relay.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rmb.relay.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RelayRankerTest {
  private final MutableClock clock = MutableClock.fixed();
  private final RelayRanker ranker = new RelayRanker(Duration.ofHours(1), clock);

  @Test
  void relaysWithFewerRecentFailuresComeFirstAndTiesKeepTheTwinsOrder() {
    ranker.downvote("a");
    ranker.downvote("a");
    ranker.downvote("b");

    assertThat(ranker.rank(List.of("a", "b", "c", "d"))).containsExactly("c", "d", "b", "a");
  }

  @Test
  void failuresOlderThanThePeriodNoLongerCount() {
    ranker.downvote("a");
    clock.advance(Duration.ofMinutes(59));
    assertThat(ranker.rank(List.of("a", "b"))).containsExactly("b", "a");

    clock.advance(Duration.ofMinutes(1));

    assertThat(ranker.failures("a")).isZero();
    assertThat(ranker.rank(List.of("a", "b"))).containsExactly("a", "b");
  }

  @Test
  void optionsCheckSchemeAndBuildTheIngestUrl() {
    assertThat(FederationOptions.builder().build().endpoint("relay.grid.tf"))
        .isEqualTo(URI.create("https://relay.grid.tf/"));
    assertThat(FederationOptions.builder().scheme("http").build().endpoint("r.local"))
        .isEqualTo(URI.create("http://r.local/"));
    assertThat(FederationOptions.builder().build().rankerPeriod())
        .isEqualTo(Duration.ofSeconds(3600));
    assertThatThrownBy(() -> FederationOptions.builder().scheme("ftp"))
        .hasMessageContaining("http or https");
    assertThatThrownBy(() -> FederationOptions.builder().workers(0))
        .hasMessageContaining("workers");
  }
}
