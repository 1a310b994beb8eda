/** The {@code rmb} command line (picocli), packaged as {@code cli/target/rmb.jar}. */
package io.rmb.cli;
