package io.rmb.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version written into the jar manifest by the build. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = Rmb.class.getPackage().getImplementationVersion();
    return new String[] {"rmb " + (version == null ? "development build" : version)};
  }
}
