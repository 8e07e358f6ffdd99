package io.memberflow.service.security;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.memberflow.service.ApiSlice;
import io.memberflow.service.connections.ConnectionDirectory;
import io.memberflow.service.connections.ConnectionService;
import io.memberflow.service.connections.ConnectionsController;
import io.memberflow.service.connections.Handled;
import io.memberflow.workflows.connection.ConnectionState;
import io.memberflow.workflows.connection.ConnectionView;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * Who may call what, on the web layer alone: refused calls never reach the connections, and each
 * refusal says why.
 */
@WebMvcTest(
    controllers = ConnectionsController.class,
    properties = {
      "memberflow.security.backend-api-keys=slice-backend-key",
      "memberflow.security.browser-token-secret=" + ApiSecurityTest.SECRET
    })
@ApiSlice
@Import(ApiSecurityTest.FixedClock.class)
class ApiSecurityTest {

  static final String SECRET = "slice-browser-token-secret-0123456789";
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private static final String MESSAGE =
      "{\"mx\":true,\"type\":\"oauthComplete/success\",\"metadata\":{\"member_guid\":\"MBR-1\"}}";

  @TestConfiguration
  static class FixedClock {
    @Bean
    @Primary
    Clock fixedClock() {
      return Clock.fixed(NOW, ZoneOffset.UTC);
    }
  }

  @Autowired MockMvc mvc;
  @Autowired BrowserTokens tokens;
  @Autowired DevelopmentKeys keysChecked;
  @MockitoBean ConnectionService connections;
  @MockitoBean ConnectionDirectory directory;

  private ResultActions relay(String authorization) throws Exception {
    var request =
        post("/v1/connections/mine/oauth-messages")
            .contentType(MediaType.APPLICATION_JSON)
            .content(MESSAGE);
    return mvc.perform(
        authorization == null ? request : request.header("Authorization", authorization));
  }

  private static void refused(ResultActions result, int status, String why) throws Exception {
    result
        .andExpect(status().is(status))
        .andExpect(jsonPath("$.detail", Matchers.containsString(why)));
  }

  @Test
  void everyRefusalSaysWhyAndReachesNoConnection() throws Exception {
    refused(relay(null), 401, "Authorization: Bearer");
    refused(relay("Basic c2xpY2U6a2V5"), 401, "Authorization: Bearer");
    refused(relay("Bearer wrong"), 401, "neither an API key nor a browser token");
    refused(relay("Bearer " + tokens.issue("someone-else")), 403, "another connection");
    refused(
        mvc.perform(
            post("/v1/connections/mine/cancel")
                .header("Authorization", "Bearer " + tokens.issue("mine"))),
        401,
        "backend API key is required");
    refused(
        mvc.perform(
            post("/v1/connections")
                .contentType(MediaType.APPLICATION_JSON)
                .content(
                    "{\"user_id\":\"u\",\"member_id\":\"x\",\"institution_code\":\"mx_bank_oauth\"}")
                .header("Authorization", "Bearer " + tokens.issue("x"))),
        401,
        "backend API key is required");
    refused(
        mvc.perform(
            get("/v1/connections").header("Authorization", "Bearer " + tokens.issue("mine"))),
        401,
        "backend API key is required");
    refused(mvc.perform(get("/v1/connection-counts")), 401, "backend API key is required");
    verifyNoInteractions(connections, directory);
  }

  @Test
  void anExpiredBrowserTokenIsRefusedAsExpired() throws Exception {
    BrowserTokens earlier =
        new BrowserTokens(
            new SecurityProperties(
                List.of("k"), SECRET, Duration.ofMinutes(30), Duration.ofMinutes(30), List.of()),
            Clock.fixed(NOW.minus(Duration.ofMinutes(31)), ZoneOffset.UTC),
            keysChecked);

    refused(relay("Bearer " + earlier.issue("mine")), 401, "the browser token has expired");
    verifyNoInteractions(connections);
  }

  /**
   * Signed with the right secret, so only the claims can tell it from a browser token: one without
   * an expiry would never expire, one without a subject names no connection.
   */
  @ParameterizedTest(name = "without {0}")
  @ValueSource(strings = {"exp", "sub", "aud"})
  void aTokenWithoutOneOfTheBrowserTokensClaimsIsRefused(String claim) throws Exception {
    refused(relay("Bearer " + signedWithout(claim)), 401, "neither an API key nor a browser token");
    verifyNoInteractions(connections);
  }

  @Test
  void aTokenWithEveryClaimIsABrowserToken() throws Exception {
    when(connections.relay(eq("mine"), any()))
        .thenReturn(new Handled(view("mine"), Handled.Progress.DONE));

    relay("Bearer " + signedWithout(null)).andExpect(status().isOk());
  }

  /**
   * A token for connection {@code mine} with the claims {@link BrowserTokens#issue} gives, less
   * one.
   */
  private static String signedWithout(String claim) throws Exception {
    Map<String, Object> claims =
        new HashMap<>(
            Map.of(
                "sub",
                "mine",
                "aud",
                BrowserTokens.AUDIENCE,
                "iat",
                NOW.getEpochSecond(),
                "exp",
                NOW.plus(Duration.ofMinutes(30)).getEpochSecond()));
    claims.remove(claim);
    SignedJWT token = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), JWTClaimsSet.parse(claims));
    token.sign(new MACSigner(SECRET));
    return token.serialize();
  }

  @Test
  void aBrowserActsOnItsOwnConnectionAndABackendOnAny() throws Exception {
    when(connections.relay(eq("mine"), any()))
        .thenReturn(new Handled(view("mine"), Handled.Progress.DONE));
    when(connections.view("theirs")).thenReturn(view("theirs"));

    relay("Bearer " + tokens.issue("mine"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.connection_id").value("mine"));
    mvc.perform(get("/v1/connections/theirs").header("Authorization", "Bearer slice-backend-key"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.state").value("AWAITING_OAUTH"));
  }

  @Test
  void dataAnswersAreNeitherRenderedNorCached() throws Exception {
    when(connections.view("mine")).thenReturn(view("mine"));
    mvc.perform(get("/v1/connections/mine").header("Authorization", "Bearer slice-backend-key"))
        .andExpect(status().isOk())
        .andExpect(
            org.springframework.test.web.servlet.result.MockMvcResultMatchers.header()
                .string("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"))
        .andExpect(
            org.springframework.test.web.servlet.result.MockMvcResultMatchers.header()
                .string("Cache-Control", Matchers.containsString("no-store")))
        .andExpect(
            org.springframework.test.web.servlet.result.MockMvcResultMatchers.header()
                .string("X-Content-Type-Options", "nosniff"));
  }

  private static ConnectionView view(String id) {
    return new ConnectionView(
        id,
        "u",
        id,
        "mx_bank_oauth",
        MxApi.PLATFORM,
        OAuthWindowOptions.browser(),
        ConnectionState.AWAITING_OAUTH,
        "USR-1",
        "MBR-1",
        1,
        5,
        "http://sandbox/oauth",
        null,
        null,
        null,
        List.of(),
        null,
        null,
        null,
        null,
        null,
        false,
        List.of());
  }
}
