package io.rmb.peer.transport;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * A validated relay address: {@code ws[s]://host[:port][/path]} without query, fragment or
 * user info, because the query string of the connect URL is the JWT and nothing else
 * (wire.md section 5).
 *
 * <p>Immutable. {@link #toString()} is the address without any token, so it is safe to log.
 */
public final class RelayEndpoint {
  private final String scheme;
  private final String host;
  private final int port;
  private final String path;

  private RelayEndpoint(String scheme, String host, int port, String path) {
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.path = path;
  }

  /**
   * Parses and checks a relay URL.
   *
   * @throws IllegalArgumentException naming the problem: not a URI, a scheme other than ws or
   *     wss, no host, a port out of range, a query, a fragment or user info
   */
  public static RelayEndpoint parse(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("relay URL is empty");
    }
    String text = url.trim();
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("relay URL '" + text + "' is not a valid URI: "
          + e.getMessage(), e);
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
      throw new IllegalArgumentException("relay URL '" + text + "' must start with ws:// or wss://"
          + (scheme == null ? " (no scheme)" : ", not " + scheme + "://"));
    }
    if (uri.isOpaque()) {
      throw new IllegalArgumentException("relay URL '" + text
          + "' must be ws://host or wss://host");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException("relay URL '" + text + "' has no host"
          + (uri.getRawAuthority() != null ? " (cannot read a host name from '"
              + uri.getRawAuthority() + "')" : ""));
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("relay URL '" + text + "' must not contain user info");
    }
    if (uri.getRawQuery() != null) {
      throw new IllegalArgumentException("relay URL '" + text
          + "' must not have a query string: the query carries the JWT, added on each connect");
    }
    if (uri.getRawFragment() != null) {
      throw new IllegalArgumentException("relay URL '" + text + "' must not have a fragment");
    }
    int port = uri.getPort();
    if (port == 0 || port > 65535) {
      throw new IllegalArgumentException("relay URL '" + text + "' has an invalid port " + port);
    }
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    return new RelayEndpoint(scheme, host, port, path);
  }

  /** {@code ws} or {@code wss}. */
  public String scheme() {
    return scheme;
  }

  /** The host name or address literal (IPv6 literals keep their brackets). */
  public String host() {
    return host;
  }

  /** The port, or the scheme's default (80 for ws, 443 for wss) when the URL has none. */
  public int port() {
    if (port > 0) {
      return port;
    }
    return "wss".equals(scheme) ? 443 : 80;
  }

  /** True for {@code wss}. */
  public boolean secure() {
    return "wss".equals(scheme);
  }

  /** The connect URL with {@code token} as the whole query string. */
  public URI connectUri(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c == '#' || c == '&')) {
      // a JWT is base64url parts joined by dots; anything else would corrupt the URL
      throw new IllegalArgumentException("relay token must be a non-empty compact JWT");
    }
    return URI.create(this + "?" + token);
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RelayEndpoint)) {
      return false;
    }
    RelayEndpoint other = (RelayEndpoint) o;
    return scheme.equals(other.scheme) && host.equalsIgnoreCase(other.host)
        && port() == other.port() && normalizedPath().equals(other.normalizedPath());
  }

  @Override
  public int hashCode() {
    return Objects.hash(scheme, host.toLowerCase(Locale.ROOT), port(), normalizedPath());
  }

  private String normalizedPath() {
    return path.isEmpty() ? "/" : path;
  }

  /** {@code scheme://host[:port]/path}, never with a token. */
  @Override
  public String toString() {
    return scheme + "://" + host + (port > 0 ? ":" + port : "") + normalizedPath();
  }
}
