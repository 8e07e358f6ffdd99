package io.memberflow.dev.connections;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The OpenAPI document the service serves, as the judge of every exchange the API tests make: the
 * answer must be one the document describes, and a request the service took (2xx) must be one the
 * document allows. A refused request is often invalid on purpose, so only its answer is checked.
 */
final class ApiContract {

  private final OpenApiInteractionValidator validator;

  ApiContract(String servedDocument) {
    // Strict: an answer may hold only the fields the document names (allOf merged first for that).
    validator =
        OpenApiInteractionValidator.createForInlineApiSpecification(servedDocument)
            .withResolveCombinators(true)
            .build();
  }

  void assertKept(
      String method,
      String body,
      Map<String, List<String>> requestHeaders,
      HttpResponse<String> response) {
    URI uri = response.uri();
    SimpleResponse answer = response(response);
    ValidationReport report =
        response.statusCode() / 100 == 2
            ? validator.validate(request(method, uri, body, requestHeaders), answer)
            : validator.validateResponse(uri.getRawPath(), Request.Method.valueOf(method), answer);
    assertThat(report.getMessages())
        .as("%s %s answered %d: %s", method, uri, response.statusCode(), response.body())
        .isEmpty();
  }

  private static Request request(
      String method, URI uri, String body, Map<String, List<String>> headers) {
    SimpleRequest.Builder request = new SimpleRequest.Builder(method, uri.getRawPath());
    headers.forEach(request::withHeader);
    if (body != null) {
      request.withBody(body);
    }
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String[] parts = pair.split("=", 2);
        request.withQueryParam(decode(parts[0]), parts.length > 1 ? decode(parts[1]) : "");
      }
    }
    return request.build();
  }

  private static SimpleResponse response(HttpResponse<String> response) {
    SimpleResponse.Builder answer = SimpleResponse.Builder.status(response.statusCode());
    response.headers().map().forEach(answer::withHeader);
    if (!response.body().isEmpty()) {
      answer.withBody(response.body());
    }
    return answer.build();
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }
}
