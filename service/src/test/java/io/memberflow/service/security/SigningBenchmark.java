package io.memberflow.service.security;

import io.memberflow.service.encryption.BlindIndex;
import io.memberflow.service.encryption.PayloadEncryption;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * What a flow's requests cost in signing and encryption: a start issues a browser token and hashes
 * the user id for visibility, a relay verifies the token, and every payload the worker hands
 * Temporal or takes from it is encrypted or decrypted. Run: {@code ./mvnw -q -pl service
 * test-compile exec:exec -Dexec.classpathScope=test -Dexec.executable=java "-Dexec.args=-cp
 * %classpath io.memberflow.service.security.SigningBenchmark"}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class SigningBenchmark {

  private static final String KEY = "YmVuY2gtcGF5bG9hZC1rZXktMDEyMzQ1Njc4OWFiY2Q=";

  private final BrowserTokens tokens =
      new BrowserTokens(
          new SecurityProperties(
              List.of("backend"),
              "benchmark-browser-token-secret-0123456789",
              Duration.ofMinutes(30),
              Duration.ofMinutes(30),
              List.of()),
          Clock.systemUTC(),
          null);
  private final JwtDecoder decoder = tokens.decoder();
  private final String token = tokens.issue("connection-17");
  private final EncryptionProperties keys =
      new EncryptionProperties(Map.of("b1", KEY), "b1", KEY, List.of());
  private final BlindIndex index = new BlindIndex(keys, null);
  private final PayloadEncryption encryption = new PayloadEncryption(keys, null);

  /** About a connection view's size: the largest payload of a flow. */
  private final List<Payload> view =
      List.of(DefaultDataConverter.STANDARD_INSTANCE.toPayload("x".repeat(1500)).orElseThrow());

  private final List<Payload> sealed = encryption.encode(view);

  @Benchmark
  public String issueBrowserToken() {
    return tokens.issue("connection-17");
  }

  @Benchmark
  public Jwt verifyBrowserToken() {
    return decoder.decode(token);
  }

  @Benchmark
  public String hashUserIdForVisibility() {
    return index.userId("user-17");
  }

  @Benchmark
  public List<Payload> encryptPayload() {
    return encryption.encode(view);
  }

  @Benchmark
  public List<Payload> decryptPayload() {
    return encryption.decode(sealed);
  }

  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(SigningBenchmark.class.getName()).build()).run();
  }
}
