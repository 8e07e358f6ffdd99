package io.memberflow.dev.durability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A certificate authority of its own and what it signs, made with openssl for one test run: a
 * server certificate for localhost and a client certificate, their PKCS#8 keys, and a PKCS#12 trust
 * store holding the CA for the JVM.
 */
final class TestCertificates {

  static final String TRUSTSTORE_PASSWORD = "memberflow-test";

  private TestCertificates() {}

  static void make(Path dir) throws Exception {
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=memberflow test CA");
    signed(dir, "server", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth");
    signed(dir, "client", "extendedKeyUsage=clientAuth");
    Files.deleteIfExists(dir.resolve("truststore.p12"));
    run(
        dir,
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-importcert",
            "-noprompt",
            "-alias",
            "memberflow-test-ca",
            "-file",
            "ca.pem",
            "-keystore",
            "truststore.p12",
            "-storetype",
            "PKCS12",
            "-storepass",
            TRUSTSTORE_PASSWORD));
  }

  private static void signed(Path dir, String name, String extensions) throws Exception {
    Files.writeString(dir.resolve(name + ".ext"), extensions + "\n");
    openssl(
        dir,
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr",
        "-subj",
        "/CN=" + (name.equals("server") ? "localhost" : "memberflow"));
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        name + ".pem",
        "-days",
        "2",
        "-extfile",
        name + ".ext");
  }

  /** The exit status of a health check of the frontend by a client with no certificate. */
  static int healthWithout(String frontend) throws Exception {
    Process check =
        new ProcessBuilder(
                io.memberflow.dev.stack.LocalStack.requireTemporalCli().toString(),
                "operator",
                "cluster",
                "health",
                "--address",
                frontend,
                "--command-timeout",
                "5s")
            .redirectErrorStream(true)
            .start();
    check.getInputStream().readAllBytes();
    return check.waitFor();
  }

  private static void openssl(Path dir, String... arguments) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    run(dir, command);
  }

  private static void run(Path dir, List<String> command) throws Exception {
    Process process =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
  }
}
