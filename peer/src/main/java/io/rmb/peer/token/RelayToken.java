package io.rmb.peer.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rmb.peer.identity.InvalidSignatureException;
import io.rmb.peer.identity.SignatureVerifier;
import io.rmb.peer.identity.Signer;
import io.rmb.peer.text.Utf8;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * The JWT a peer presents to a relay as the WebSocket URL's query string (wire.md section 5).
 *
 * <p>Header {@code {"alg":"RS512","typ":"JWT"}} ("RS512" is a fixed label, not RSA; the Rust
 * form without {@code typ} is accepted too), claims {@code sub} (twin id as a JSON number),
 * {@code sid} (session; omitted, null or "" mean none), {@code iat} and {@code exp} (unix
 * seconds). The signature is the base64url (unpadded) 65-byte prefixed signature over the ASCII
 * text {@code b64url(header) + "." + b64url(claims)}, verified as received.
 *
 * <p>Instances are immutable; {@link #parse(String)} checks structure only, {@link #verify}
 * checks the signature, expiry and lifetime.
 */
public final class RelayToken {
  /** Fixed header label used by every RMB implementation. */
  public static final String ALGORITHM = "RS512";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();
  private static final String HEADER_B64 =
      B64.encodeToString("{\"alg\":\"RS512\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.US_ASCII));

  private final long twin;
  private final String session;
  private final long issuedAt;
  private final long expiresAt;
  private final String text;
  private final byte[] signingInput;
  private final byte[] signature;

  private RelayToken(long twin, String session, long issuedAt, long expiresAt, String text,
      byte[] signingInput, byte[] signature) {
    this.twin = twin;
    this.session = session;
    this.issuedAt = issuedAt;
    this.expiresAt = expiresAt;
    this.text = text;
    this.signingInput = signingInput;
    this.signature = signature;
  }

  /**
   * Mints a token the way the TS client does: {@code iat} = the clock's time rounded up to a
   * whole second, {@code exp = iat + ttl}, claims in the order sub, iat, exp, sid.
   *
   * @param session the session id, or null for the twin's session-less connection
   */
  public static RelayToken create(Signer signer, long twin, String session, Clock clock,
      Duration ttl) {
    Objects.requireNonNull(signer, "signer");
    Objects.requireNonNull(clock, "clock");
    if (twin < 0 || twin > 0xffff_ffffL) {
      throw new IllegalArgumentException("twin id must be a u32, got " + twin);
    }
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("token ttl must be positive, got " + ttl);
    }
    long iat = Math.floorDiv(clock.millis() + 999, 1000L);
    long exp = iat + ttl.getSeconds();
    ObjectNode claims = JSON.createObjectNode();
    claims.put("sub", twin);
    claims.put("iat", iat);
    claims.put("exp", exp);
    String sid = (session == null || session.isEmpty()) ? null : session;
    if (sid != null) {
      claims.put("sid", sid);
    }
    String claimsB64;
    try {
      claimsB64 = B64.encodeToString(JSON.writeValueAsBytes(claims));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise token claims", e);
    }
    String input = HEADER_B64 + "." + claimsB64;
    byte[] signingInput = input.getBytes(StandardCharsets.US_ASCII);
    byte[] signature = signer.sign(signingInput);
    String text = input + "." + B64.encodeToString(signature);
    return new RelayToken(twin, sid, iat, exp, text, signingInput, signature);
  }

  /**
   * Parses a token without verifying it.
   *
   * @throws InvalidTokenException naming what is malformed
   */
  public static RelayToken parse(String token) {
    if (token == null || token.isBlank()) {
      throw new InvalidTokenException("token is empty");
    }
    int firstDot = token.indexOf('.');
    int lastDot = token.lastIndexOf('.');
    if (firstDot < 0 || firstDot == lastDot || token.indexOf('.', firstDot + 1) != lastDot) {
      throw new InvalidTokenException("token must have three dot-separated parts");
    }
    JsonNode header = json(decode(token.substring(0, firstDot), "header"), "header");
    JsonNode alg = header.get("alg");
    if (alg == null || !ALGORITHM.equals(alg.asText(null))) {
      throw new InvalidTokenException("token header alg must be \"" + ALGORITHM + "\", got " + alg);
    }
    JsonNode claims = json(decode(token.substring(firstDot + 1, lastDot), "claims"), "claims");
    long sub = unsigned(claims, "sub", 0xffff_ffffL);
    long iat = unsigned(claims, "iat", Long.MAX_VALUE);
    long exp = unsigned(claims, "exp", Long.MAX_VALUE);
    JsonNode sidNode = claims.get("sid");
    String sid = null;
    if (sidNode != null && !sidNode.isNull()) {
      if (!sidNode.isTextual()) {
        throw new InvalidTokenException("token claim sid must be a string or null, got " + sidNode);
      }
      sid = sidNode.asText().isEmpty() ? null : sidNode.asText();
    }
    byte[] signature = decode(token.substring(lastDot + 1), "signature");
    byte[] signingInput = token.substring(0, lastDot).getBytes(StandardCharsets.US_ASCII);
    return new RelayToken(sub, sid, iat, exp, token, signingInput, signature);
  }

  /**
   * Verifies the signature with the twin's 32-byte account key, that the token has not expired
   * and, when {@code maxLifetime} is given, that {@code exp - iat} does not exceed it.
   *
   * @throws InvalidTokenException.Expired when {@code exp} is before the clock's second
   * @throws InvalidTokenException for a bad signature or a lifetime above the bound
   */
  public RelayToken verify(byte[] account, Clock clock, Duration maxLifetime) {
    try {
      SignatureVerifier.verify(account, signingInput, signature);
    } catch (InvalidSignatureException e) {
      throw new InvalidTokenException("token signature is invalid for twin " + twin + ": "
          + e.getMessage(), e);
    }
    long now = Math.floorDiv(clock.millis(), 1000L);
    if (expiresAt < now) {
      throw new InvalidTokenException.Expired(
          "token for twin " + twin + " expired " + (now - expiresAt) + " s ago");
    }
    if (maxLifetime != null) {
      long lifetime = expiresAt - issuedAt;
      if (lifetime > maxLifetime.getSeconds()) {
        throw new InvalidTokenException("token lifetime " + lifetime + " s exceeds the allowed "
            + maxLifetime.getSeconds() + " s");
      }
    }
    return this;
  }

  /** The twin id ({@code sub}). */
  public long twin() {
    return twin;
  }

  /** The session id, empty for the session-less connection. */
  public Optional<String> session() {
    return Optional.ofNullable(session);
  }

  /** {@code iat}, unix seconds. */
  public long issuedAt() {
    return issuedAt;
  }

  /** {@code exp}, unix seconds. */
  public long expiresAt() {
    return expiresAt;
  }

  /** The 65-byte prefixed signature (a copy). */
  public byte[] signature() {
    return signature.clone();
  }

  /** The compact token text, as put in the relay URL's query string. */
  public String text() {
    return text;
  }

  @Override
  public String toString() {
    return "RelayToken{twin=" + twin + ", sid=" + session + ", iat=" + issuedAt + ", exp="
        + expiresAt + "}";
  }

  private static byte[] decode(String part, String what) {
    try {
      return B64_DECODER.decode(part);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("token " + what + " is not base64url: " + e.getMessage(), e);
    }
  }

  private static JsonNode json(byte[] bytes, String what) {
    // Jackson may read a field name with invalid UTF-8 as a known one (see Utf8): check first
    int invalid = Utf8.firstInvalid(bytes);
    if (invalid >= 0) {
      throw new InvalidTokenException(
          "token " + what + " is not UTF-8: invalid byte sequence at offset " + invalid);
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new InvalidTokenException("token " + what + " is not a JSON object");
      }
      return node;
    } catch (java.io.IOException e) {
      throw new InvalidTokenException("token " + what + " is not valid JSON: " + e.getMessage(),
          e);
    }
  }

  private static long unsigned(JsonNode claims, String name, long max) {
    JsonNode node = claims.get(name);
    if (node == null || node.isNull()) {
      throw new InvalidTokenException("token claim " + name + " is missing");
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0
        || node.asLong() > max) {
      throw new InvalidTokenException("token claim " + name
          + " must be a non-negative integer" + (max < Long.MAX_VALUE ? " <= " + max : "")
          + ", got " + node);
    }
    return node.asLong();
  }
}
