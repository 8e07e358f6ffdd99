package io.memberflow.workflows.connection;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What the lifecycle costs a workflow: one is made per run and per replay, then asked and moved a
 * few times. Run: {@code ./mvnw -q -pl workflows test-compile exec:exec -Dexec.classpathScope=test
 * -Dexec.executable=java "-Dexec.args=-cp %classpath
 * io.memberflow.workflows.connection.ConnectionLifecycleBenchmark"}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConnectionLifecycleBenchmark {

  /** A connection that retries once, then connects: what a common replay does. */
  @Benchmark
  public ConnectionState aConnectionsLifecycle() {
    ConnectionLifecycle lifecycle = new ConnectionLifecycle();
    lifecycle.fire(ConnectionEvent.MEMBER_READY);
    lifecycle.accepts(ConnectionEvent.OAUTH_RETRYABLE_FAILURE);
    lifecycle.fire(ConnectionEvent.OAUTH_RETRYABLE_FAILURE);
    lifecycle.accepts(ConnectionEvent.OAUTH_REPORTED_SUCCESS);
    lifecycle.fire(ConnectionEvent.OAUTH_REPORTED_SUCCESS);
    lifecycle.fire(ConnectionEvent.MX_CONFIRMED);
    return lifecycle.state();
  }

  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(ConnectionLifecycleBenchmark.class.getName()).build())
        .run();
  }
}
