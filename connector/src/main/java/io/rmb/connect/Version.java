package io.rmb.connect;

/** The plugin version reported to the Connect framework. */
final class Version {
  static final String VERSION = versionOf();

  private Version() {}

  private static String versionOf() {
    String version = Version.class.getPackage().getImplementationVersion();
    return version != null ? version : "0.1.0-SNAPSHOT";
  }
}
