package io.rmb.peer.substrate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** JSON-RPC 2.0 framing shared by the transports. */
final class JsonRpc {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonRpc() {}

  /** The request text for {@code method(params)} with numeric {@code id}. */
  static String request(long id, String method, List<?> params) {
    ObjectNode request = MAPPER.createObjectNode()
        .put("jsonrpc", "2.0")
        .put("id", id)
        .put("method", method);
    request.set("params", MAPPER.valueToTree(params));
    try {
      return MAPPER.writeValueAsString(request);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialise params of " + method + ": "
          + e.getMessage(), e);
    }
  }

  /** Parses one message, or null when it is not a JSON object. */
  static JsonNode parse(String text) {
    try {
      JsonNode node = MAPPER.readTree(text);
      return node != null && node.isObject() ? node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * The {@code result} of a response (JSON null when the method returned null).
   *
   * @throws RpcException when the response carries an {@code error}
   * @throws RpcProtocolException when it has neither
   */
  static JsonNode result(String method, JsonNode response) {
    JsonNode error = response.get("error");
    if (error != null && !error.isNull()) {
      long code = error.path("code").asLong(0);
      String message = error.path("message").asText("(no message)");
      JsonNode data = error.get("data");
      throw new RpcException(method, code, message,
          data == null || data.isNull() ? null : data.toString());
    }
    JsonNode result = response.get("result");
    if (result == null) {
      throw new RpcProtocolException(method + ": response has neither result nor error");
    }
    return result;
  }
}
