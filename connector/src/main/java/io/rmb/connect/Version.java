package io.rmb.connect;

/** The plugin version reported to the Connect framework. */
final class Version {
  static final String VERSION = versionOf();

  private Version() {}

  private static String versionOf() {
    String version = Version.class.getPackage().getImplementationVersion();
    // "unknown" when loaded from a classes directory (tests), not from the packaged jar
    return version != null ? version : "unknown";
  }
}
