package io.rmb.peer.runtime;

import com.google.protobuf.ByteString;
import io.rmb.peer.crypto.E2eCipher;
import io.rmb.peer.crypto.E2eCryptoException;
import io.rmb.peer.envelope.Envelopes;
import io.rmb.peer.envelope.Expiry;
import io.rmb.peer.envelope.ProtocolException;
import io.rmb.peer.identity.Signer;
import io.rmb.peer.transport.Transport;
import io.rmb.peer.twin.Twin;
import io.rmb.peer.twin.TwinDirectory;
import io.rmb.proto.Address;
import io.rmb.proto.Envelope;
import io.rmb.proto.Request;
import io.rmb.proto.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * Builds, encrypts, stamps, signs and sends every envelope this peer emits, in that order:
 * the signature covers the final bytes (wire.md section 3), so it is always the last step.
 *
 * <p>Returned futures complete when a relay took the frame; they fail with a
 * {@link ProtocolException} (unknown destination 103, encryption 106, expired 102, directory
 * 500) or a {@code RelaySendException}.
 */
final class Outbox {
  /** rmb-peer gives replies built on the Redis side 3600 s, which the sender clamps to this. */
  static final long REPLY_TTL = Expiry.MAX_TTL;

  private final Address source;
  private final Signer signer;
  private final E2eCipher cipher; // null when our identity has no e2e key: we send plain
  private final TwinDirectory twins;
  private final Transport transport;
  private final Clock clock;
  private final Executor executor;
  private final Counters counters;

  Outbox(long ownTwin, String session, Signer signer, E2eCipher cipher, TwinDirectory twins,
      Transport transport, Clock clock, Executor executor, Counters counters) {
    Address.Builder address = Address.newBuilder().setTwin((int) ownTwin);
    if (session != null && !session.isEmpty()) {
      address.setConnection(session);
    }
    this.source = address.build();
    this.signer = signer;
    this.cipher = cipher;
    this.twins = twins;
    this.transport = transport;
    this.clock = clock;
    this.executor = executor;
    this.counters = counters;
  }

  /** One destination of a request; {@code timestamp}/{@code expiration} are shared by all. */
  CompletableFuture<Void> request(String uid, long destination, OutgoingRequest request,
      long timestamp, long expiration, Instant deadline) {
    return lookup(destination).thenCompose(twin -> {
      if (twin.isEmpty()) {
        throw ProtocolException.of(103, "destination twin " + destination
            + " is not in the twin directory");
      }
      Address.Builder to = Address.newBuilder().setTwin((int) destination);
      request.connection().ifPresent(to::setConnection);
      Envelope.Builder b = base(uid, timestamp, expiration, to.build())
          .setRequest(Request.newBuilder().setCommand(request.command()));
      request.schema().ifPresent(b::setSchema);
      request.tags().ifPresent(b::setTags);
      setPayload(b, twin.get(), request.payloadUnsafe());
      return seal(b, counters.requestsSent, deadline);
    });
  }

  /**
   * A handler's reply to {@code request}: to its source address including the connection,
   * same uid. A response that cannot be encrypted is replaced by an error 106, so the
   * requester learns why instead of timing out (rmb-peer does the same).
   */
  CompletableFuture<Void> reply(Envelope request, Reply reply) {
    if (reply.isError()) {
      return error(request, reply.code(), reply.message().orElse(""), REPLY_TTL);
    }
    long to = Envelopes.sourceTwin(request);
    return lookup(to).handle((twin, lookupError) -> {
      if (lookupError != null) {
        // without the twin we cannot encrypt; an error needs no payload and still goes out
        return error(request, 500, Inbound.rootMessage(lookupError), REPLY_TTL);
      }
      Envelope.Builder b = base(request.getUid(), 0, REPLY_TTL, request.getSource())
          .setResponse(Response.getDefaultInstance());
      reply.schema().ifPresent(b::setSchema);
      try {
        // a twin that vanished since its request verified gets the reply in plain
        setPayload(b, twin.orElse(null), reply.payloadUnsafe());
      } catch (ProtocolException e) {
        return error(request, e.code(), e.getMessage(), REPLY_TTL);
      }
      return seal(b, counters.responsesSent, null);
    }).thenCompose(sent -> sent);
  }

  /**
   * A signed error envelope answering {@code request}. No payload, hence no twin lookup: it
   * goes out even when the sender is unknown to us. rmb-peer re-bases the request's own
   * expiration for protocol errors; 0 becomes the default TTL.
   */
  CompletableFuture<Void> error(Envelope request, long code, String message, long ttl) {
    Envelope.Builder b = base(request.getUid(), 0, Expiry.clampTtl(ttl), request.getSource())
        .setError(io.rmb.proto.Error.newBuilder().setCode((int) code).setMessage(message));
    return seal(b, counters.errorsSent, null);
  }

  private Envelope.Builder base(String uid, long timestamp, long expiration, Address to) {
    return Envelope.newBuilder()
        .setUid(uid)
        .setTimestamp(timestamp)
        .setExpiration(expiration)
        .setSource(source)
        .setDestination(to);
  }

  /** Encrypts when the destination has a pk and we have a key (wire.md section 4). */
  private void setPayload(Envelope.Builder b, Twin twin, byte[] plain) {
    Optional<byte[]> pk = twin == null ? Optional.empty() : twin.publicKey();
    if (pk.isPresent() && cipher != null) {
      try {
        b.setCipher(ByteString.copyFrom(cipher.encrypt(pk.get(), plain)));
      } catch (E2eCryptoException e) {
        throw ProtocolException.of(106, "cannot encrypt for twin " + twin.id() + ": "
            + e.getMessage());
      }
    } else {
      b.setPlain(ByteString.copyFrom(plain));
    }
  }

  private CompletableFuture<Void> seal(Envelope.Builder b, LongAdder counter, Instant deadline) {
    Expiry.stamp(b, clock);
    long left = Expiry.ttl(Expiry.now(clock), b.getTimestamp(), b.getExpiration());
    if (left <= 0) {
      return CompletableFuture.failedFuture(ProtocolException.of(102, "envelope " + b.getUid()
          + " expired before it could be sent"));
    }
    Envelopes.sign(b, signer);
    byte[] bytes = b.build().toByteArray();
    Instant envelopeDeadline = Instant.ofEpochSecond(
        Expiry.deadline(b.getTimestamp(), b.getExpiration()));
    Instant until = deadline != null && deadline.isBefore(envelopeDeadline) ? deadline
        : envelopeDeadline;
    return transport.send(bytes, until).thenAccept(relay -> counter.increment());
  }

  private CompletableFuture<Optional<Twin>> lookup(long twin) {
    CompletableFuture<Optional<Twin>> lookup;
    try {
      lookup = twins.get(twin);
    } catch (RuntimeException e) {
      lookup = CompletableFuture.failedFuture(e);
    }
    // continue on our executor, never on the directory's (possibly network) thread
    return lookup.handleAsync((result, error) -> {
      if (error != null) {
        throw ProtocolException.of(500, "twin directory lookup of twin " + twin + " failed: "
            + Inbound.rootMessage(error));
      }
      return result;
    }, executor);
  }
}
