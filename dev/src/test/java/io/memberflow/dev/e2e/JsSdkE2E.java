package io.memberflow.dev.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.memberflow.dev.EmbeddedTestPorts;
import io.memberflow.sandbox.MxSandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The integrators' JavaScript packages ({@code sdk/js}): they build with the machine's Node.js,
 * pass their own tests, install offline from their tarballs, and run a user's flows in Debian's
 * Chromium against this service, its Temporal dev server and the MX sandbox. The integrator's
 * pages, backend and webhook receiver run in Node on an origin of their own, as an integrator's
 * would: the service lets that origin call the API (CORS), the sandbox posts MX's message to it,
 * and the webhooks go to its receiver.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JsSdkE2E {

  private static final Path SDK = Path.of("..", "sdk", "js").toAbsolutePath().normalize();
  private static final int PORT = EmbeddedTestPorts.freePort();
  private static final int INTEGRATOR = EmbeddedTestPorts.freePort();
  private static final String INTEGRATOR_ORIGIN = "http://localhost:" + INTEGRATOR;
  private static final String BACKEND_KEY = "e2e-backend-key-" + PORT;
  private static final String WEBHOOK_SECRET = webhookSecret();

  @DynamicPropertySource
  static void integrator(DynamicPropertyRegistry registry) {
    registry.add("server.port", () -> PORT);
    EmbeddedTestPorts.registerDevServer(registry);
    registry.add("memberflow.security.backend-api-keys", () -> BACKEND_KEY);
    registry.add("memberflow.frontend.allowed-origins", () -> INTEGRATOR_ORIGIN);
    registry.add("memberflow.embedded.sandbox.frontend-origin", () -> INTEGRATOR_ORIGIN);
    registry.add("memberflow.notifications.webhooks[0].url", () -> INTEGRATOR_ORIGIN + "/webhooks");
    registry.add("memberflow.notifications.webhooks[0].secret", () -> WEBHOOK_SECRET);
  }

  @BeforeAll
  static void installed() {
    Browser.requireInstalled();
    assertThat(SDK.resolve("node_modules"))
        .as("the SDKs' dependencies: cd sdk/js && npm ci (as .ci/run does)")
        .isDirectory();
  }

  @Autowired MxSandbox sandbox;

  private record Run(int exit, String output) {}

  @Test
  @Order(1)
  void thePackagesBuildAndPassTheirTests() throws Exception {
    Run build = npm(Map.of(), "run", "build");
    assertThat(build.exit()).as(build.output()).isZero();
    for (String pkg : List.of("browser", "react", "client")) {
      assertThat(SDK.resolve("packages/" + pkg + "/dist/index.js")).isRegularFile();
      assertThat(SDK.resolve("packages/" + pkg + "/dist/index.d.ts")).isRegularFile();
    }

    Run test = npm(Map.of(), "test");
    assertThat(test.exit()).as(test.output()).isZero();
    assertPassed(test);

    // Packed, installed offline in a new project, the docs' examples type-checked against it.
    Run packed = npm(Map.of(), "run", "pack-check");
    assertThat(packed.exit()).as(packed.output()).isZero();
    assertThat(packed.output()).contains("pack-check: 3 tarballs installed offline");
    System.out.println(packed.output());
  }

  @Test
  @Order(2)
  void aUserConnectsReconnectsAndComesBackIntoTheAppInChromium() throws Exception {
    Run flows =
        npm(
            Map.of(
                "MEMBERFLOW_URL",
                "http://localhost:" + PORT,
                "MEMBERFLOW_BACKEND_KEY",
                BACKEND_KEY,
                "MEMBERFLOW_WEBHOOK_SECRET",
                WEBHOOK_SECRET,
                "MX_ORIGIN",
                sandbox.baseUrl(),
                "INTEGRATOR_PORT",
                String.valueOf(INTEGRATOR),
                "CHROMIUM_FLAGS",
                String.join(" ", Browser.FLAGS)),
            "run",
            "e2e");
    assertThat(flows.exit()).as(flows.output()).isZero();
    assertPassed(flows);
  }

  private static void assertPassed(Run run) {
    assertThat(run.output()).contains("# fail 0").doesNotContain("# pass 0");
    run.output().lines().filter(line -> line.startsWith("# tests")).forEach(System.out::println);
  }

  private static String webhookSecret() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }

  private static Run npm(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("npm"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(SDK.toFile());
    builder.environment().putAll(env);
    Path log = Files.createTempFile("memberflow-npm", ".log");
    Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = process.waitFor(5, TimeUnit.MINUTES);
    String output = Files.readString(log, StandardCharsets.UTF_8);
    if (!ended) {
      process.destroyForcibly();
      throw new AssertionError(
          "npm " + String.join(" ", args) + " took over 5 minutes:\n" + output);
    }
    return new Run(process.exitValue(), output);
  }
}
