package io.rmb.relay;

import java.net.InetSocketAddress;

/** Parses the relay's listen address; see {@link RelayOptions#parseListen(String)}. */
final class ListenAddress {
  private ListenAddress() {}

  static InetSocketAddress parse(String address) {
    if (address == null || address.isBlank()) {
      throw bad(address, "it is empty");
    }
    String text = address.trim();
    String host;
    String port;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
        throw bad(address, "an IPv6 host must be written [host]:port");
      }
      host = text.substring(1, close);
      port = text.substring(close + 2);
    } else {
      int colon = text.lastIndexOf(':');
      if (colon < 0) {
        throw bad(address, "the port is missing");
      }
      host = text.substring(0, colon);
      port = text.substring(colon + 1);
      if (host.indexOf(':') >= 0) {
        throw bad(address, "put an IPv6 host in brackets: [host]:port");
      }
    }
    if (host.isEmpty()) {
      host = RelayOptions.DEFAULT_HOST;
    }
    int number;
    try {
      number = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw bad(address, "the port '" + port + "' is not a number");
    }
    if (number < 0 || number > 65535) {
      throw bad(address, "the port must be in 0..65535, got " + number);
    }
    return InetSocketAddress.createUnresolved(host, number);
  }

  private static IllegalArgumentException bad(String address, String why) {
    return new IllegalArgumentException("invalid listen address '" + address
        + "': " + why + " (expected host:port, e.g. 127.0.0.1:8080 or [::1]:8080)");
  }
}
