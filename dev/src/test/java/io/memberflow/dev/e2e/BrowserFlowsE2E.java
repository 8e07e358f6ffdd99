package io.memberflow.dev.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memberflow.dev.EmbeddedTestPorts;
import io.memberflow.sandbox.Faults;
import io.memberflow.sandbox.MxSandbox;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A person connecting a bank on the demo page, in a real Chromium: the page, memberflow.js, the
 * sandbox's institution and OAuth-complete pages and the API, all over HTTP. Every test checks the
 * connection's final state through the API and leaves a screenshot in target/e2e-screenshots.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
    properties = "memberflow.api.update-wait=3s")
class BrowserFlowsE2E {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PORT = EmbeddedTestPorts.freePort();

  /** The page's origin must be known before start-up: the sandbox posts its message to it. */
  @DynamicPropertySource
  static void ports(DynamicPropertyRegistry registry) {
    registry.add("server.port", () -> PORT);
    EmbeddedTestPorts.registerDevServer(registry);
  }

  @BeforeAll
  static void browserInstalled() {
    Browser.requireInstalled();
  }

  @Autowired MxSandbox sandbox;
  private ChromeDriver driver;
  private WebDriverWait wait;
  private String page;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void openDemo() throws IOException {
    driver = Browser.start();
    wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    driver.get("http://localhost:" + PORT + "/demo");
    page = driver.getWindowHandle();
    wait.until(d -> !new Select(d.findElement(By.id("institution"))).getOptions().isEmpty());
  }

  @AfterEach
  void screenshotAndClose(TestInfo test) throws IOException {
    try {
      driver.switchTo().window(page);
      Browser.screenshot(driver, test.getTestMethod().orElseThrow().getName());
    } finally {
      driver.quit();
    }
  }

  /** Starts a connection on the demo page and returns the OAuth window, switched to. */
  private String connect(String institution) {
    new Select(driver.findElement(By.id("institution"))).selectByValue(institution);
    driver.findElement(By.id("connect")).click();
    return switchToPopup();
  }

  private String switchToPopup() {
    wait.until(d -> d.getWindowHandles().size() > 1);
    Set<String> handles = driver.getWindowHandles();
    String popup = handles.stream().filter(h -> !h.equals(page)).findFirst().orElseThrow();
    driver.switchTo().window(popup);
    wait.until(d -> d.getCurrentUrl().contains("/oauth/predirect_to/"));
    return popup;
  }

  /** In the institution's page: pick how the sign-in ends. */
  private void endSignInWith(String choice) {
    wait.until(ExpectedConditions.elementToBeClickable(By.id(choice))).click();
    wait.until(d -> d.getCurrentUrl().contains("/oauth/complete/"));
    driver.close();
    driver.switchTo().window(page);
  }

  private void awaitStep(String step) {
    wait.until(d -> step.equals(d.findElement(By.id("next")).getDomAttribute("data-step")));
  }

  private String connectionId() {
    return driver.findElement(By.id("connection-id")).getText();
  }

  private JsonNode connection(String id) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/v1/connections/" + id))
                .header("Authorization", "Bearer dev-backend-key")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private void assertState(String state) throws Exception {
    assertThat(connection(connectionId()).path("state").asText()).isEqualTo(state);
    assertThat(driver.findElement(By.id("state")).getText()).isEqualTo(state);
  }

  @Test
  void success() throws Exception {
    connect("mx_bank_oauth");
    endSignInWith("authorize");

    awaitStep("connected");
    // MX's first aggregation follows; the page keeps following it.
    awaitStep("data_ready");
    assertThat(connection(connectionId()).path("aggregation").asText()).isEqualTo("DATA_READY");
    assertState("CONNECTED");
  }

  @Test
  void aRevokedTokenShowsReconnectAndTheUserSignsInAgainOnTheSameMember() throws Exception {
    connect("mx_bank_oauth");
    endSignInWith("authorize");
    awaitStep("data_ready");
    String id = connectionId();
    String memberGuid = connection(id).path("member_guid").asText();

    // The person plays the bank revoking the token, with the demo's switch of the sandbox.
    new Select(driver.findElement(By.id("mx-status"))).selectByValue("DENIED");
    driver.findElement(By.id("set-status")).click();
    awaitStep("reauth_required");
    assertState("REAUTH_REQUIRED");

    wait.until(ExpectedConditions.elementToBeClickable(By.id("reconnect"))).click();
    switchToPopup();
    endSignInWith("authorize");

    awaitStep("data_ready");
    assertState("CONNECTED");
    JsonNode repaired = connection(id);
    assertThat(repaired.path("member_guid").asText()).isEqualTo(memberGuid);
    List<String> states = new ArrayList<>();
    repaired.path("transitions").forEach(t -> states.add(t.path("to").asText()));
    // CONFIRMING shows only when the browser's message beats MX's webhook: either may come first.
    assertThat(states)
        .filteredOn(state -> !state.equals("CONFIRMING"))
        .containsExactly(
            "AWAITING_OAUTH", "CONNECTED", "REAUTH_REQUIRED", "AWAITING_OAUTH", "CONNECTED");
  }

  @Test
  void aStartAnsweredAcceptedOpensTheWindowOnceItIsOut() throws Exception {
    // Every MX call takes 1.5 s: the first window is out after the start's 3 s wait, so the demo
    // backend answers 202 and the page looks again after Retry-After.
    sandbox.setFaults(new Faults(0, List.of(503), Duration.ofMillis(1500)));
    try {
      connect("mx_bank_oauth");
    } finally {
      sandbox.setFaults(Faults.NONE);
    }
    endSignInWith("authorize");

    awaitStep("connected");
    assertState("CONNECTED");
  }

  @Test
  void cancelledThenSuccessThroughTheFreshUri() throws Exception {
    connect("mx_bank_oauth");
    endSignInWith("cancelled");
    awaitStep("try_again");
    String fresh = connection(connectionId()).path("oauth_window_uri").asText();

    driver.findElement(By.id("again")).click();
    switchToPopup();
    assertThat(driver.getCurrentUrl()).isEqualTo(fresh);
    endSignInWith("authorize");

    awaitStep("connected");
    assertState("CONNECTED");
    assertThat(connection(connectionId()).path("attempt").asInt()).isEqualTo(2);
  }

  @Test
  void impededThenResume() throws Exception {
    connect("mx_bank_oauth");
    endSignInWith("impeded");
    awaitStep("act_at_institution");
    assertState("ACTION_REQUIRED");

    driver.findElement(By.id("resume")).click();
    switchToPopup();
    endSignInWith("authorize");

    awaitStep("connected");
    assertState("CONNECTED");
  }

  @Test
  void providerError() throws Exception {
    connect("mx_bank_oauth");
    endSignInWith("provider_error");

    awaitStep("provider_unavailable");
    assertState("PROVIDER_UNAVAILABLE");
    assertThat(connection(connectionId()).path("last_error_reason").asText())
        .isEqualTo("PROVIDER_ERROR");
  }

  @Test
  void deniedThenRetry() throws Exception {
    connect("mx_bank_oauth");
    endSignInWith("denied");
    awaitStep("login_failed");
    assertState("LOGIN_FAILED");

    driver.findElement(By.id("retry")).click();
    switchToPopup();
    endSignInWith("authorize");

    awaitStep("connected");
    assertState("CONNECTED");
  }

  @Test
  void withoutAMessageThePageFollowsTheStateByPolling() throws Exception {
    connect("mx_bank_oauth");
    // The user signs in, but the window has lost its opener: no message will reach the page.
    driver.executeScript("window.opener = null;");
    endSignInWith("authorize");
    String id = connectionId();

    // The outcome reaches memberflow another way; MX confirms it.
    http.send(
        HttpRequest.newBuilder(
                URI.create(
                    "http://localhost:" + PORT + "/v1/connections/" + id + "/oauth-messages"))
            .header("Authorization", "Bearer dev-backend-key")
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    JSON.writeValueAsString(
                        Map.of(
                            "mx",
                            true,
                            "type",
                            "oauthComplete/success",
                            "metadata",
                            Map.of("member_guid", connection(id).path("member_guid").asText())))))
            .build(),
        HttpResponse.BodyHandlers.ofString());

    awaitStep("connected");
    assertState("CONNECTED");
  }

  @Test
  void aMessageFromAForeignOriginIsIgnored() throws Exception {
    connect("mx_bank_oauth");
    driver.switchTo().window(page);
    String id = connectionId();
    String guid = connection(id).path("member_guid").asText();
    Map<String, Object> forged =
        Map.of(
            "mx", true, "type", "oauthComplete/success", "metadata", Map.of("member_guid", guid));

    // The same message MX would send, but from another origin (127.0.0.1 is not localhost).
    driver
        .switchTo()
        .window(
            driver.getWindowHandles().stream()
                .filter(h -> !h.equals(page))
                .findFirst()
                .orElseThrow());
    // Navigated from inside the window, as a page would, so that it keeps its opener.
    driver.executeScript(
        "location.href = arguments[0];",
        "http://127.0.0.1:" + sandbox.port() + "/oauth/complete/none");
    wait.until(d -> d.getCurrentUrl().startsWith("http://127.0.0.1:"));
    driver.executeScript("window.opener.postMessage(arguments[0], '*');", forged);
    driver.close();
    driver.switchTo().window(page);
    Thread.sleep(3000);

    assertThat(connection(id).path("state").asText()).isEqualTo("AWAITING_OAUTH");
    assertThat(driver.findElement(By.id("next")).getDomAttribute("data-step")).isEqualTo("waiting");
  }

  @Test
  void aReusedUriIsRefusedBySandbox() throws Exception {
    String popup = connect("mx_bank_oauth");
    String used = driver.getCurrentUrl();
    driver.close();
    driver.switchTo().window(page);

    driver.switchTo().newWindow(org.openqa.selenium.WindowType.TAB);
    driver.get(used);
    assertThat(driver.findElement(By.id("refused")).getText()).contains("already been used");
    Browser.screenshot(driver, "aReusedUriIsRefusedBySandbox-refused");
    driver.close();
    driver.switchTo().window(page);
    assertThat(popup).isNotBlank();
    assertState("AWAITING_OAUTH");
  }

  @Test
  void theAppRedirectPath() throws Exception {
    // An app's backend starts the connection; the app opens the window in its webview.
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + PORT + "/v1/connections"))
                .header("Authorization", "Bearer dev-backend-key")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"user_id\":\"app-user\",\"member_id\":\"e2e-app\",\"institution_code\":\"mx_bank_oauth\","
                            + "\"referral_source\":\"APP\",\"ui_message_webview_url_scheme\":\"memberflowdemo\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode started = JSON.readTree(response.body());
    driver.get(started.path("oauth_window_uri").asText());

    wait.until(ExpectedConditions.elementToBeClickable(By.id("authorize"))).click();

    wait.until(d -> d.getCurrentUrl().contains("/v1/connections/e2e-app/app-redirect"));
    assertThat(driver.findElement(By.id("outcome")).getText()).isEqualTo("CONNECTED");
    assertThat(driver.findElement(By.id("continue")).getDomAttribute("href"))
        .isEqualTo("memberflowdemo://memberflow/connections/e2e-app?state=CONNECTED");
    Browser.screenshot(driver, "theAppRedirectPath-back-in-memberflow");
    assertThat(connection("e2e-app").path("state").asText()).isEqualTo("CONNECTED");
    driver.get("http://localhost:" + PORT + "/demo");
  }
}
