package io.rmb.relay.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * HTTP/1.1 over a plain socket, for what HTTP clients will not send (upgrade headers) and to see
 * the exact status and body the relay answers.
 */
public final class RawHttp {
  private RawHttp() {}

  /** A status code and body. */
  public record Response(int status, String body) {}

  /** Sends a WebSocket upgrade request for {@code target} (path and query) and reads the answer. */
  public static Response upgrade(int port, String target) {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    return exchange(port, "GET " + target + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + port + "\r\n"
        + "Upgrade: websocket\r\n"
        + "Connection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + "\r\n", new byte[0]);
  }

  /** Sends a plain request with {@code body} and reads the answer. */
  public static Response request(int port, String method, String target, byte[] body) {
    return exchange(port, method + " " + target + " HTTP/1.1\r\n"
        + "Host: 127.0.0.1:" + port + "\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + "Connection: close\r\n"
        + "\r\n", body);
  }

  private static Response exchange(int port, String head, byte[] body) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) TestPeer.PATIENCE.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      String headers = readHeaders(in);
      String statusLine = headers.substring(0, headers.indexOf("\r\n"));
      int status = Integer.parseInt(statusLine.split(" ")[1]);
      int length = 0;
      for (String line : headers.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      return new Response(status, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readHeaders(InputStream in) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed inside the response headers: " + buffer);
      }
      buffer.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return buffer.toString(StandardCharsets.US_ASCII);
  }
}
