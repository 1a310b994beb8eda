package io.rmb.bridge.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.ScriptOutputType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Scripts by SHA1 against a real redis-server, including one that forgot them (NOSCRIPT). */
@Tag("integration")
class LuaScriptIT extends SingleRedis {
  private static final LuaScript ECHO_KEY = new LuaScript(
      "return {KEYS[1], ARGV[1]}");

  @Test
  void shaIsTheOneRedisNamesTheScriptBy() {
    // the SHA1 Redis' own documentation gives for SCRIPT LOAD "return 1"
    assertThat(new LuaScript("return 1").sha())
        .isEqualTo("e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
    String loaded = connection.sync().scriptLoad("return {KEYS[1], ARGV[1]}");
    assertThat(ECHO_KEY.sha()).isEqualTo(loaded);
  }

  @Test
  void anUnknownScriptIsSentOnceAndThenRunBySha() throws Exception {
    connection.sync().scriptFlush();
    assertThat(connection.sync().scriptExists(ECHO_KEY.sha())).containsExactly(false);

    List<byte[]> first = ECHO_KEY.<List<byte[]>>run(connection.async(), ScriptOutputType.MULTI,
        new String[] {"k1"}, bytes("a1")).get(10, TimeUnit.SECONDS);

    assertThat(first).map(b -> new String(b, StandardCharsets.UTF_8)).containsExactly("k1", "a1");
    assertThat(connection.sync().scriptExists(ECHO_KEY.sha())).containsExactly(true);
    List<byte[]> second = ECHO_KEY.<List<byte[]>>run(connection.async(),
        ScriptOutputType.MULTI, new String[] {"k2"}, bytes("a2")).get(10, TimeUnit.SECONDS);
    assertThat(second).map(b -> new String(b, StandardCharsets.UTF_8))
        .containsExactly("k2", "a2");
  }

  @Test
  void theBlockingVariantFallsBackToo() {
    connection.sync().scriptFlush();

    List<byte[]> result = ECHO_KEY.run(connection.sync(), ScriptOutputType.MULTI,
        new String[] {"k3"}, bytes("a3"));

    assertThat(result).map(b -> new String(b, StandardCharsets.UTF_8))
        .containsExactly("k3", "a3");
    assertThat(connection.sync().scriptExists(ECHO_KEY.sha())).containsExactly(true);
  }

  @Test
  void otherScriptErrorsAreNotRetried() {
    LuaScript failing = new LuaScript("return redis.error_reply('MYERR broken')");
    var future = failing.run(connection.async(), ScriptOutputType.STATUS, new String[0]);
    assertThat(future).failsWithin(10, TimeUnit.SECONDS).withThrowableThat()
        .withMessageContaining("MYERR broken");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
