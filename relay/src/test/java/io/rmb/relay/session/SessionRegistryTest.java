package io.rmb.relay.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.rmb.relay.testing.RecordingSession;
import org.junit.jupiter.api.Test;

class SessionRegistryTest {
  private static final SessionKey KEY = SessionKey.of(7, "web");

  private final SessionRegistry registry = new SessionRegistry();

  @Test
  void newerSessionReplacesOlder() {
    RecordingSession old = new RecordingSession(KEY);
    RecordingSession newer = new RecordingSession(KEY);

    assertThat(registry.register(old)).isEmpty();
    assertThat(registry.register(newer)).containsSame(old);
    assertThat(registry.get(KEY)).containsSame(newer);
    assertThat(registry.size()).isOne();
  }

  @Test
  void lateUnregisterOfTheReplacedSessionKeepsTheNewOne() {
    // rmb-rs's race: the old connection finishes closing after its replacement registered
    RecordingSession old = new RecordingSession(KEY);
    RecordingSession newer = new RecordingSession(KEY);
    registry.register(old);
    registry.register(newer);

    assertThat(registry.unregister(old)).isFalse();

    assertThat(registry.get(KEY)).containsSame(newer);
    assertThat(registry.unregister(newer)).isTrue();
    assertThat(registry.get(KEY)).isEmpty();
  }

  @Test
  void keysWithAndWithoutSidAreDifferentSessions() {
    RecordingSession plain = new RecordingSession(SessionKey.of(7));
    RecordingSession web = new RecordingSession(KEY);

    registry.register(plain);
    registry.register(web);

    assertThat(registry.size()).isEqualTo(2);
    assertThat(registry.get(SessionKey.of(7))).containsSame(plain);
  }

  @Test
  void openIgnoresClosedSessions() {
    RecordingSession session = new RecordingSession(KEY);
    registry.register(session);

    session.close(Session.CloseCause.REPLACED);

    assertThat(registry.get(KEY)).containsSame(session);
    assertThat(registry.open(KEY)).isEmpty();
  }
}
