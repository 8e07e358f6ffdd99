package io.memberflow.service.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.options;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.memberflow.service.ApiSlice;
import jakarta.servlet.http.Cookie;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * The codec decodes for operators only: with the operator key, or with the session cookie the
 * operator got for the Web UI; never for a backend, a forged cookie or no one.
 */
@WebMvcTest(
    controllers = {CodecEndpoint.class, CodecSessionController.class},
    properties = {
      "memberflow.security.backend-api-keys=slice-backend-key",
      "memberflow.security.operator-api-keys=slice-operator-key",
      "memberflow.security.browser-token-secret=slice-browser-token-secret-0123456789",
      "memberflow.encryption.keys.k1=" + PayloadEncryptionTest.K1,
      "memberflow.encryption.active-key=k1",
      "memberflow.encryption.index-key=" + PayloadEncryptionTest.K2,
      "memberflow.encryption.codec-origins=http://localhost:8233"
    })
@ApiSlice
@Import(PayloadEncryption.class)
class CodecAccessTest {

  /** A JSON payload holding "user-17", as Temporal's JSON shows it. */
  private static final String PLAIN =
      "{\"payloads\":[{\"metadata\":{\"encoding\":\"anNvbi9wbGFpbg==\"},\"data\":\"InVzZXItMTci\"}]}";

  @Autowired MockMvc mvc;

  private ResultActions codec(String action, String body, String authorization, Cookie cookie)
      throws Exception {
    var request = post("/codec/" + action).contentType(MediaType.APPLICATION_JSON).content(body);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (cookie != null) {
      request.cookie(cookie);
    }
    return mvc.perform(request);
  }

  private String encrypted() throws Exception {
    return codec("encode", PLAIN, "Bearer slice-operator-key", null)
        .andExpect(status().isOk())
        .andReturn()
        .getResponse()
        .getContentAsString();
  }

  @Test
  void anOperatorKeyDecodesWhatTheActiveKeyEncrypted() throws Exception {
    String sealed = encrypted();
    assertThat(sealed).doesNotContain("InVzZXItMTci").contains("encryption-key-id");

    String opened =
        codec("decode", sealed, "Bearer slice-operator-key", null)
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getContentAsString();

    assertThat(opened).contains("InVzZXItMTci");
  }

  @Test
  void noOneElseMayDecode() throws Exception {
    String sealed = encrypted();
    codec("decode", sealed, null, null).andExpect(status().isUnauthorized());
    codec("decode", sealed, "Bearer slice-backend-key", null)
        .andExpect(status().isUnauthorized())
        .andExpect(
            org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath("$.detail")
                .value("an operator API key is required"));
    codec("decode", sealed, null, new Cookie("memberflow_codec", "99999999999.forged"))
        .andExpect(status().isUnauthorized());
  }

  @Test
  void theWebUiDecodesWithTheSessionCookieAnOperatorGotWithTheKey() throws Exception {
    mvc.perform(
            post("/codec/session")
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .param("operator_key", "slice-backend-key"))
        .andExpect(status().isUnauthorized())
        .andExpect(header().doesNotExist("Set-Cookie"));
    String setCookie =
        mvc.perform(
                post("/codec/session")
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .param("operator_key", "slice-operator-key"))
            .andExpect(status().isOk())
            .andReturn()
            .getResponse()
            .getHeader("Set-Cookie");
    assertThat(setCookie).contains("HttpOnly", "SameSite=Strict", "Path=/codec");
    String value = setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));

    codec("decode", encrypted(), null, new Cookie("memberflow_codec", value))
        .andExpect(status().isOk())
        .andExpect(
            org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                .string(Matchers.containsString("InVzZXItMTci")));
    mvc.perform(
            options("/codec/decode")
                .header("Origin", "http://localhost:8233")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,x-namespace"))
        .andExpect(status().isOk())
        .andExpect(header().string("Access-Control-Allow-Origin", "http://localhost:8233"))
        .andExpect(header().string("Access-Control-Allow-Credentials", "true"));
  }
}
