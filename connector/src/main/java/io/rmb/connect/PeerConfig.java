package io.rmb.connect;

import io.rmb.peer.identity.Identity;
import io.rmb.peer.identity.KeyType;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.common.config.types.Password;

/**
 * The settings both connectors share: who we are on RMB (secret, key type, twin id) and how we
 * reach the network (relays, twins from a file or tfchain). {@link #addTo(ConfigDef)} adds them
 * to a connector's {@link ConfigDef}; {@link #validate(Map, Map)} adds the cross-field checks a
 * {@code ConfigDef} cannot express.
 */
public final class PeerConfig {
  public static final String IDENTITY_GROUP = "RMB identity";
  public static final String NETWORK_GROUP = "RMB network";

  public static final String MNEMONIC_CONFIG = "rmb.mnemonic";
  private static final String MNEMONIC_DOC = "Secret of the gateway's twin: a BIP39 mnemonic,"
      + " a 0x-prefixed 32-byte seed or a dev URI such as //Alice.";
  private static final String MNEMONIC_DISPLAY = "Secret";

  public static final String KEY_TYPE_CONFIG = "rmb.key.type";
  public static final String KEY_TYPE_DEFAULT = "sr25519";
  private static final String KEY_TYPE_DOC = "Key type of the secret: sr25519 or ed25519.";
  private static final String KEY_TYPE_DISPLAY = "Key type";

  public static final String TWIN_ID_CONFIG = "rmb.twin.id";
  public static final long TWIN_ID_DEFAULT = 0;
  private static final String TWIN_ID_DOC = "Twin id of the secret's account; 0 looks it up in"
      + " the twin directory by account.";
  private static final String TWIN_ID_DISPLAY = "Twin id";

  public static final String RELAYS_CONFIG = "rmb.relays";
  /** RMB allows a twin at most this many relays. */
  public static final int MAX_RELAYS = 4;
  private static final String RELAYS_DOC = "Relay URLs (ws:// or wss://), at most "
      + MAX_RELAYS + "; the peer fails over between them.";
  private static final String RELAYS_DISPLAY = "Relays";

  public static final String TWINS_FILE_CONFIG = "rmb.twins.file";
  public static final String TWINS_FILE_DEFAULT = "";
  private static final String TWINS_FILE_DOC = "JSON file of twins [{\"id\",\"account\","
      + "\"relay\",\"pk\"}] for private networks; empty reads twins from tfchain.";
  private static final String TWINS_FILE_DISPLAY = "Twins file";

  public static final String SUBSTRATE_URLS_CONFIG = "rmb.substrate.urls";
  public static final String SUBSTRATE_URLS_DEFAULT = "wss://tfchain.grid.tf:443";
  private static final String SUBSTRATE_URLS_DOC = "tfchain nodes to read twins from when "
      + TWINS_FILE_CONFIG + " is empty.";
  private static final String SUBSTRATE_URLS_DISPLAY = "tfchain nodes";

  private PeerConfig() {}

  /** Adds the shared settings to {@code def}. */
  public static ConfigDef addTo(ConfigDef def) {
    int order = 0;
    def.define(MNEMONIC_CONFIG, Type.PASSWORD, ConfigDef.NO_DEFAULT_VALUE,
        new ConfigDef.NonNullValidator(), Importance.HIGH, MNEMONIC_DOC, IDENTITY_GROUP, ++order,
        Width.LONG, MNEMONIC_DISPLAY);
    def.define(KEY_TYPE_CONFIG, Type.STRING, KEY_TYPE_DEFAULT,
        ConfigDef.CaseInsensitiveValidString.in("sr25519", "ed25519"), Importance.MEDIUM,
        KEY_TYPE_DOC, IDENTITY_GROUP, ++order, Width.SHORT, KEY_TYPE_DISPLAY, List.of(),
        new FixedRecommender(List.<Object>of("sr25519", "ed25519")));
    def.define(TWIN_ID_CONFIG, Type.LONG, TWIN_ID_DEFAULT,
        ConfigDef.Range.between(0, 0xffff_ffffL), Importance.HIGH, TWIN_ID_DOC, IDENTITY_GROUP,
        ++order, Width.SHORT, TWIN_ID_DISPLAY);
    order = 0;
    def.define(RELAYS_CONFIG, Type.LIST, ConfigDef.NO_DEFAULT_VALUE,
        new ConfigDef.NonEmptyString() {
          @Override
          public void ensureValid(String name, Object value) {
            if (value == null || ((List<?>) value).isEmpty()) {
              throw new ConfigException(name, value, "at least one relay URL is required");
            }
          }

          @Override
          public String toString() {
            return "non-empty list of ws:// or wss:// URLs";
          }
        }, Importance.HIGH, RELAYS_DOC, NETWORK_GROUP, ++order, Width.LONG, RELAYS_DISPLAY);
    def.define(TWINS_FILE_CONFIG, Type.STRING, TWINS_FILE_DEFAULT, Importance.MEDIUM,
        TWINS_FILE_DOC, NETWORK_GROUP, ++order, Width.LONG, TWINS_FILE_DISPLAY);
    def.define(SUBSTRATE_URLS_CONFIG, Type.LIST, SUBSTRATE_URLS_DEFAULT, Importance.LOW,
        SUBSTRATE_URLS_DOC, NETWORK_GROUP, ++order, Width.LONG, SUBSTRATE_URLS_DISPLAY,
        List.of(TWINS_FILE_CONFIG), new ConfigDef.Recommender() {
          @Override
          public List<Object> validValues(String name, Map<String, Object> parsed) {
            return List.of();
          }

          @Override
          public boolean visible(String name, Map<String, Object> parsed) {
            Object file = parsed.get(TWINS_FILE_CONFIG);
            return file == null || file.toString().isEmpty();
          }
        });
    return def;
  }

  /**
   * The checks across settings, added as errors to {@code values} (by name): a secret that
   * does not parse for its key type, more than {@value #MAX_RELAYS} relays, a relay URL
   * without a host or with another scheme, a twins file that does not exist.
   */
  static void validate(Map<String, String> props, Map<String, ConfigValue> values) {
    String secret = props.get(MNEMONIC_CONFIG);
    String keyType = props.getOrDefault(KEY_TYPE_CONFIG, KEY_TYPE_DEFAULT);
    if (secret != null && !secret.isBlank() && noErrors(values, KEY_TYPE_CONFIG)) {
      try {
        Identity.fromSecret(secret, KeyType.fromLabel(keyType.toLowerCase(java.util.Locale.ROOT)));
      } catch (RuntimeException e) {
        // never echo the secret itself
        error(values, MNEMONIC_CONFIG, "the secret does not parse as a " + keyType
            + " mnemonic, seed or dev URI: " + e.getClass().getSimpleName());
      }
    }
    String relays = props.get(RELAYS_CONFIG);
    if (relays != null) {
      List<String> urls = list(relays);
      if (urls.size() > MAX_RELAYS) {
        error(values, RELAYS_CONFIG, urls.size() + " relays given; RMB allows at most "
            + MAX_RELAYS);
      }
      for (String url : urls) {
        relayProblem(url).ifPresent(p -> error(values, RELAYS_CONFIG, p));
      }
    }
    String file = props.get(TWINS_FILE_CONFIG);
    if (file != null && !file.isBlank() && !Files.isRegularFile(Path.of(file.trim()))) {
      error(values, TWINS_FILE_CONFIG, "twins file " + file.trim() + " does not exist");
    }
  }

  /** Why {@code url} cannot be a relay URL, if it cannot. */
  static java.util.Optional<String> relayProblem(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getScheme() == null || !(uri.getScheme().equalsIgnoreCase("ws")
          || uri.getScheme().equalsIgnoreCase("wss"))) {
        return java.util.Optional.of("relay URL " + url + " must start with ws:// or wss://");
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        return java.util.Optional.of("relay URL " + url + " has no host");
      }
      return java.util.Optional.empty();
    } catch (URISyntaxException e) {
      return java.util.Optional.of("relay URL " + url + " does not parse: " + e.getReason());
    }
  }

  /** The parsed secret of a validated config. */
  static Identity identity(AbstractConfig config) {
    Password secret = config.getPassword(MNEMONIC_CONFIG);
    try {
      return Identity.fromSecret(secret.value(), KeyType.fromLabel(
          config.getString(KEY_TYPE_CONFIG).toLowerCase(java.util.Locale.ROOT)));
    } catch (RuntimeException e) {
      throw new ConfigException(MNEMONIC_CONFIG, "[hidden]",
          "the secret does not parse: " + e.getClass().getSimpleName());
    }
  }

  static List<String> list(String value) {
    List<String> items = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    return items;
  }

  static boolean noErrors(Map<String, ConfigValue> values, String name) {
    ConfigValue value = values.get(name);
    return value == null || value.errorMessages().isEmpty();
  }

  static void error(Map<String, ConfigValue> values, String name, String message) {
    values.computeIfAbsent(name, ConfigValue::new).addErrorMessage(message);
  }

  /** Recommends a fixed list of values. */
  record FixedRecommender(List<Object> values) implements ConfigDef.Recommender {
    @Override
    public List<Object> validValues(String name, Map<String, Object> parsed) {
      return values;
    }

    @Override
    public boolean visible(String name, Map<String, Object> parsed) {
      return true;
    }
  }

  /**
   * The connectors' {@code validate()}: ConfigDef's per-key results from {@code base}, then
   * {@code crossChecks} adding errors to them by name, returned in the original order.
   */
  static Config withCrossChecks(Config base, Consumer<Map<String, ConfigValue>> crossChecks) {
    Map<String, ConfigValue> values = new LinkedHashMap<>();
    for (ConfigValue value : base.configValues()) {
      values.putIfAbsent(value.name(), value);
    }
    crossChecks.accept(values);
    return new Config(new ArrayList<>(values.values()));
  }
}
