package io.rmb.relay.testing;

import com.google.protobuf.ByteString;
import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.envelope.Expiry;
import io.rmb.proto.Envelope;
import io.rmb.proto.Ping;
import io.rmb.proto.Request;
import io.rmb.proto.Response;
import io.rmb.relay.session.SessionKey;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/** Signed envelopes as peers send them. */
public final class TestEnvelopes {
  private static final AtomicLong UIDS = new AtomicLong();

  private TestEnvelopes() {}

  /** A fresh uid. */
  public static String uid(String prefix) {
    return prefix + "-" + UIDS.incrementAndGet();
  }

  /** A request {@code from -> to}, stamped now with a 300 s TTL, plain payload. */
  public static Envelope.Builder request(SessionKey from, SessionKey to, Clock clock) {
    return Envelope.newBuilder()
        .setUid(uid("req"))
        .setTimestamp(Expiry.now(clock))
        .setExpiration(300)
        .setSource(from.toAddress())
        .setDestination(to.toAddress())
        .setRequest(Request.newBuilder().setCommand("test.echo"))
        .setSchema("application/json")
        .setPlain(ByteString.copyFromUtf8("{\"hello\":" + UIDS.get() + "}"));
  }

  /** A response {@code from -> to}. */
  public static Envelope.Builder response(SessionKey from, SessionKey to, Clock clock) {
    return request(from, to, clock).setResponse(Response.getDefaultInstance())
        .setUid(uid("resp"));
  }

  /** A ping {@code from -> to} with {@code plain}. */
  public static Envelope.Builder ping(SessionKey from, SessionKey to, String plain,
      Clock clock) {
    return request(from, to, clock).setPing(Ping.getDefaultInstance()).setUid(uid("ping"))
        .setPlain(ByteString.copyFromUtf8(plain));
  }

  /** {@code builder} signed by the source twin's test identity, serialised. */
  public static byte[] signed(Envelope.Builder builder) {
    long twin = Integer.toUnsignedLong(builder.getSource().getTwin());
    return Envelopes.sign(builder, TestTwins.identity(twin).signer()).build().toByteArray();
  }
}
