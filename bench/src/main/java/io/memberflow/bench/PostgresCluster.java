package io.memberflow.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Temporal server as two nodes on PostgreSQL, as scripts/temporal-postgres/stack brings it up
 * (built once; started if it is not running), with a namespace for the run: both sides work in it,
 * through node 1's frontend.
 */
final class PostgresCluster {

  private static final Path SCRIPT = Repository.path("scripts", "temporal-postgres", "stack");

  private final Map<String, String> settings = new LinkedHashMap<>();
  final String namespace = "bench-" + Long.toString(System.currentTimeMillis(), 36);

  PostgresCluster() throws Exception {
    script("up");
    script("namespace", namespace);
    for (String line : script("env").split("\n")) {
      int equals = line.indexOf('=');
      if (equals > 0) {
        settings.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }
  }

  String target() {
    return settings.get("NODE1_FRONTEND");
  }

  /** Both nodes and PostgreSQL's server, whose children are its connections' processes. */
  Part part() throws IOException {
    List<ProcessHandle> processes = new ArrayList<>();
    for (String pidFile : List.of("node1.pid", "node2.pid")) {
      processes.add(handle(Path.of(settings.get("STACK_DIR"), pidFile)));
    }
    processes.add(handle(Path.of(settings.get("PG_DATA"), "postmaster.pid")));
    return Part.ofProcesses("temporal", processes);
  }

  /** Both databases, with every namespace in them: read it as a difference. */
  long databaseBytes() throws Exception {
    String sql = "SELECT pg_database_size('temporal') + pg_database_size('temporal_visibility')";
    ProcessBuilder psql =
        new ProcessBuilder(
            "psql",
            "-h",
            "127.0.0.1",
            "-p",
            settings.get("PG_PORT"),
            "-U",
            "temporal",
            "-d",
            "postgres",
            "-tAq",
            "-c",
            sql);
    psql.environment().put("PGPASSWORD", settings.get("PG_PASSWORD"));
    return Long.parseLong(run(psql).strip());
  }

  private static ProcessHandle handle(Path pidFile) throws IOException {
    long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
    return ProcessHandle.of(pid)
        .orElseThrow(() -> new IllegalStateException("no process " + pid + " of " + pidFile));
  }

  private static String script(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(List.of(arguments));
    return run(new ProcessBuilder(command));
  }

  private static String run(ProcessBuilder command) throws Exception {
    Process process = command.redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command.command()) + ":\n" + output);
    }
    return output;
  }
}
