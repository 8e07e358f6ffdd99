package io.memberflow.service.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.memberflow.service.ApiSlice;
import io.memberflow.workflows.connection.ConnectionState;
import io.memberflow.workflows.connection.ConnectionView;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import java.nio.charset.Charset;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;

/**
 * Input is read as written, and what is refused is refused with the field and a reason, never a
 * word of Java: each case was accepted, coerced or answered with internals before.
 */
@WebMvcTest(
    controllers = ConnectionsController.class,
    properties = {
      "memberflow.security.backend-api-keys=slice-backend-key",
      "memberflow.security.browser-token-secret=slice-browser-token-secret-0123456789"
    })
@ApiSlice
class StrictInputTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What an error must never show: Java types, packages, classes, method signatures. */
  private static final Pattern INTERNALS =
      Pattern.compile(
          "java\\.|javax?\\.|jakarta\\.|io\\.memberflow|com\\.fasterxml|org\\.spring|public |\\bclass\\b|Exception|`");

  @Autowired MockMvc mvc;
  @MockitoBean ConnectionService connections;
  @MockitoBean ConnectionDirectory directory;

  private static String start(String memberId, String extra) {
    return "{\"user_id\":\"u-1\",\"member_id\":"
        + memberId
        + ",\"institution_code\":\"mx_bank_oauth\""
        + extra
        + "}";
  }

  static Stream<Arguments> refusedStarts() {
    return Stream.of(
        Arguments.of("a number as member_id", start("12345", ""), "member_id must be a string"),
        Arguments.of(
            "a huge number as member_id", start("1e400", ""), "member_id must be a string"),
        Arguments.of("true as member_id", start("true", ""), "member_id must be a string"),
        Arguments.of(
            "a number as a boolean",
            start("\"m-1\"", ",\"skip_aggregation\":1"),
            "skip_aggregation must be true or false"),
        Arguments.of(
            "a string as a boolean",
            start("\"m-1\"", ",\"enable_app2app\":\"true\""),
            "enable_app2app must be true or false"),
        Arguments.of(
            "a number as an enum",
            start("\"m-1\"", ",\"referral_source\":0"),
            "referral_source must be one of [BROWSER, APP]"),
        Arguments.of(
            "an unknown enum",
            start("\"m-1\"", ",\"referral_source\":\"WEB\""),
            "referral_source must be one of [BROWSER, APP]"),
        Arguments.of(
            "an unknown field",
            start("\"m-1\"", ",\"skip_agregation\":true"),
            "unknown field skip_agregation"),
        Arguments.of(
            "junk after the body", start("\"m-1\"", "") + " x", "the body is not valid JSON"),
        Arguments.of(
            "a second value after the body", start("\"m-1\"", "") + "{}", "nothing after it"),
        Arguments.of("an array for the body", "[]", "the body must be an object"),
        Arguments.of("no body", "", "a JSON body is required"),
        Arguments.of("broken JSON", "{\"user_id\":", "the body is not valid JSON"),
        Arguments.of("a dot id", start("\"..\"", ""), "member_id: must be 1 to 128"),
        Arguments.of(
            "an id starting with a dot", start("\".hidden\"", ""), "member_id: must be 1 to 128"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedStarts")
  void aStartIsTakenOnlyAsWritten(String name, String body, String reason) throws Exception {
    refused(post("/v1/connections").contentType(MediaType.APPLICATION_JSON).content(body), reason);
  }

  @Test
  void aRelayedMessageIsOneJsonValue() throws Exception {
    refused(
        post("/v1/connections/m-1/oauth-messages")
            .contentType(MediaType.APPLICATION_JSON)
            .content(
                "{\"mx\":true,\"type\":\"oauthComplete/success\",\"metadata\":{\"member_guid\":\"MBR-1\"}} {}"),
        "nothing after it");
  }

  @Test
  void dotIdsAndMistypedParametersAreRefused() throws Exception {
    refused(get("/v1/connections/.."), "the path may not hold '..'");
    refused(get("/v1/connections/.x"), "a connection id must be 1 to 128");
    refused(get("/v1/connections?page_size=ten"), "page_size must be a whole number");
  }

  /** JSON is UTF-8: a body declared in another charset was decoded as declared and taken. */
  @ParameterizedTest(name = "charset={0}")
  @ValueSource(strings = {"utf-16", "UTF-16LE", "ISO-8859-1"})
  void aBodyInAnotherCharsetThanUtf8IsRefused(String charset) throws Exception {
    String contentType = "application/json; charset=" + charset;
    refused(
        post("/v1/connections")
            .contentType(contentType)
            .content(start("\"m-1\"", "").getBytes(Charset.forName(charset))),
        415,
        "the body must be UTF-8 JSON");
    refused(
        post("/v1/connections/m-1/oauth-messages")
            .contentType(contentType)
            .content(
                "{\"mx\":true,\"type\":\"oauthComplete/success\",\"metadata\":{\"member_guid\":\"MBR-1\"}}"
                    .getBytes(Charset.forName(charset))),
        415,
        "the body must be UTF-8 JSON");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "application/json",
        "application/json; charset=utf-8",
        "application/json;charset=UTF-8"
      })
  void utf8JsonIsTakenWithOrWithoutItsCharset(String contentType) throws Exception {
    ConnectionView view =
        new ConnectionView(
            "m-1",
            "u-1",
            "m-1",
            "mx_bank_oauth",
            MxApi.PLATFORM,
            OAuthWindowOptions.browser(),
            ConnectionState.STARTING,
            null,
            null,
            0,
            5,
            null,
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
    when(connections.start(any())).thenReturn(new Handled(view, Handled.Progress.CREATED));

    MvcResult result =
        mvc.perform(
                post("/v1/connections")
                    .contentType(contentType)
                    .content(start("\"m-1\"", ""))
                    .header("Authorization", "Bearer slice-backend-key"))
            .andReturn();

    assertThat(result.getResponse().getStatus())
        .as(result.getResponse().getContentAsString())
        .isEqualTo(201);
  }

  private void refused(RequestBuilder request, String reason) throws Exception {
    refused(request, 400, reason);
  }

  private void refused(RequestBuilder request, int status, String reason) throws Exception {
    MvcResult result =
        mvc.perform(
                request
                        instanceof
                        org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder
                            builder
                    ? builder.header("Authorization", "Bearer slice-backend-key")
                    : request)
            .andReturn();
    JsonNode problem = JSON.readTree(result.getResponse().getContentAsString());
    assertThat(result.getResponse().getStatus()).as(problem.toString()).isEqualTo(status);
    assertThat(problem.path("detail").asText()).contains(reason);
    assertThat(problem.toString()).doesNotContainPattern(INTERNALS);
    verifyNoInteractions(connections, directory);
  }
}
