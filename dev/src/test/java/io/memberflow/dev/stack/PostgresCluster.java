package io.memberflow.dev.stack;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The Temporal server as two nodes of one cluster on PostgreSQL, as scripts/temporal-postgres/stack
 * brings it up (.ci/run does, before the tests). The cluster is shared by the tests; each test gets
 * a namespace of its own, created with memberflow's search attributes the way an operator does, so
 * listings and counts see only its connections. Service instances talk to node 1's frontend; either
 * node, or PostgreSQL itself, can be killed and brought back.
 */
public final class PostgresCluster implements TemporalServer {

  static final Path SCRIPT = Path.of("..", "scripts", "temporal-postgres", "stack");

  private final Map<String, String> stack;
  private final String namespace;

  private PostgresCluster(Map<String, String> stack, String namespace) {
    this.stack = stack;
    this.namespace = namespace;
  }

  /**
   * The cluster with a fresh namespace for {@code testName}, or a failed test naming the script
   * that builds it. Outside CI, where a JDK alone must run the tests, a missing stack skips the
   * test with the same message instead.
   */
  static PostgresCluster forTest(String testName) {
    Map<String, String> stack = settings().orElse(null);
    if (stack == null || !Files.isExecutable(Path.of(stack.get("TEMPORAL_SERVER")))) {
      String why =
          "these tests need the Temporal server on PostgreSQL: run "
              + SCRIPT.normalize()
              + " up (needs Go and apt-get install postgresql)";
      if (System.getenv("CI") != null) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    String suffix = Long.toString(System.currentTimeMillis(), 36);
    return new PostgresCluster(stack, "it-" + testName + "-" + suffix);
  }

  private static Optional<Map<String, String>> settings() {
    try {
      Map<String, String> settings = new LinkedHashMap<>();
      script("env")
          .lines()
          .filter(line -> line.contains("="))
          .forEach(
              line ->
                  settings.put(
                      line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
      return Optional.of(settings);
    } catch (Exception noStack) {
      return Optional.empty();
    }
  }

  private static String script(String... arguments) throws Exception {
    return script(Map.of(), arguments);
  }

  private static String script(Map<String, String> environment, String... arguments)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(arguments));
    return Processes.run(command, environment);
  }

  @Override
  public String describe() {
    return "two-node PostgreSQL";
  }

  @Override
  public String target() {
    return frontend(1);
  }

  /** host:port of node {@code n}'s frontend. */
  public String frontend(int node) {
    return "127.0.0.1:" + (Integer.parseInt(stack.get("FRONTEND_BASE")) + 100 * node);
  }

  @Override
  public String namespace() {
    return namespace;
  }

  /** As production runs: the operator registered the search attributes; the service does not. */
  @Override
  public List<String> serviceSettings() {
    return List.of(
        "--spring.temporal.connection.target=" + target(),
        "--spring.temporal.namespace=" + namespace);
  }

  /** Brings up what of the cluster is not running, then creates the test's namespace. */
  @Override
  public void start() throws Exception {
    script("up");
    script("namespace", namespace);
  }

  @Override
  public void crash() throws Exception {
    killNode(1);
    killNode(2);
  }

  /** SIGKILL of one node; the other takes over its history shards. */
  public void killNode(int node) throws Exception {
    Path pidFile = Path.of(stack.get("STACK_DIR"), "node" + node + ".pid");
    long pid = Long.parseLong(Files.readString(pidFile).strip());
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isPresent()) {
      process.get().destroyForcibly();
      process.get().onExit().get();
    }
  }

  public void startNode(int node) throws Exception {
    script("node", Integer.toString(node));
  }

  /** PostgreSQL stopped the way a crash stops it: no checkpoint, connections cut. */
  public void crashPostgres() throws Exception {
    script("postgres", "crash");
  }

  public void startPostgres() throws Exception {
    script("postgres");
  }

  /**
   * A node with only a frontend, joined to the cluster, that takes clients only over mutual TLS
   * with a certificate of the CA in {@code tls} (ca.pem, server.pem/key, client.pem/key).
   *
   * @return its frontend, host:port
   */
  public String startTlsFrontend(int node, Path tls) throws Exception {
    Map<String, String> environment =
        Map.of("TLS_DIR", tls.toAbsolutePath().toString(), "SERVICES", "frontend");
    script(environment, "node", Integer.toString(node));
    return frontend(node);
  }

  /** A namespace as an operator who skipped memberflow's search attributes leaves it. */
  public void createNamespaceWithoutAttributes(String name) throws Exception {
    script("namespace", name, "bare");
  }

  /** Stops a node this test started beyond the cluster's two. */
  public void stopNode(int node) throws Exception {
    script("stop-node", Integer.toString(node));
  }

  /** The cluster's two nodes keep running for the next test: only what a test broke is mended. */
  @Override
  public void close() {
    try {
      script("up");
    } catch (Exception e) {
      throw new IllegalStateException("could not bring the PostgreSQL stack back up", e);
    }
  }
}
