package io.memberflow.dev.stack;

import java.nio.file.Path;
import java.util.List;

/**
 * The Temporal a cross-process test runs on, chosen by the system property {@value #PROPERTY}:
 * {@code dev} (the Temporal CLI's dev server on a SQLite file, the default) or {@code postgres}
 * (the Temporal server as two nodes on PostgreSQL, brought up by scripts/temporal-postgres/stack).
 * The dev module's build runs the cross-process suite once on each.
 */
public sealed interface TemporalServer extends AutoCloseable permits DevServer, PostgresCluster {

  String PROPERTY = "memberflow.it.temporal";

  /** The server the build asked for, its state (where it has any of its own) under {@code dir}. */
  static TemporalServer underTest(Path dir, String testName) {
    String kind = System.getProperty(PROPERTY, "dev");
    return switch (kind) {
      case "dev" -> new DevServer(dir);
      case "postgres" -> PostgresCluster.forTest(testName);
      default -> throw new IllegalArgumentException(PROPERTY + " must be dev or postgres: " + kind);
    };
  }

  /** For the figures a test prints. */
  String describe();

  /** host:port of the frontend the service instances use. */
  String target();

  String namespace();

  /** What every service instance is started with to use this server. */
  List<String> serviceSettings();

  /** Starts the server, or what of it is not running. */
  void start() throws Exception;

  /** SIGKILL of every server process: no goodbye, no flush beyond what the database has. */
  void crash() throws Exception;

  /** Stops what this test started; a shared cluster stays up for the next test. */
  @Override
  void close();
}
