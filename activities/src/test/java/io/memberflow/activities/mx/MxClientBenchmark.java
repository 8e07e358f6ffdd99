package io.memberflow.activities.mx;

import io.memberflow.activities.MxClients;
import io.memberflow.sandbox.MxSandbox;
import io.memberflow.sandbox.SandboxConfig;
import io.memberflow.workflows.mx.MemberStatus;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxUser;
import io.memberflow.workflows.mx.NewOAuthMember;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * What a Platform call costs the worker, sandbox included, over loopback HTTP: a status read (one
 * GET) and ensuring a user that exists (a POST answered 409, then a GET). Run: {@code ./mvnw -q -pl
 * activities -am install -DskipTests && ./mvnw -q -pl activities exec:exec
 * -Dexec.classpathScope=test -Dexec.executable=java "-Dexec.args=-cp %classpath
 * io.memberflow.activities.mx.MxClientBenchmark"} (JMH options may follow the class name). The HTTP
 * stack needs a long warm-up before its figures settle.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 6, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class MxClientBenchmark {

  private MxSandbox sandbox;
  private MxClient platform;
  private MxMember member;

  @Setup(Level.Trial)
  public void start() {
    sandbox = MxSandbox.start(SandboxConfig.defaults());
    platform = MxClients.platform(sandbox, new SimpleMeterRegistry());
    MxUser user = platform.ensureUser("bench-user");
    member =
        platform.createOAuthMember(
            new NewOAuthMember(
                user.guid(), "bench-member", "mx_bank_oauth", OAuthWindowOptions.browser()));
  }

  @TearDown(Level.Trial)
  public void stop() {
    sandbox.close();
  }

  @Benchmark
  public MemberStatus readStatus() {
    return platform.readMemberStatus(member.userGuid(), member.guid());
  }

  @Benchmark
  public MxUser ensureExistingUser() {
    return platform.ensureUser("bench-user");
  }

  public static void main(String[] args) throws RunnerException, CommandLineOptionException {
    new Runner(
            new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(MxClientBenchmark.class.getName())
                .build())
        .run();
  }
}
