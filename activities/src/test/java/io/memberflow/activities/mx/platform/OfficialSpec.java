package io.memberflow.activities.mx.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import io.memberflow.sandbox.MxSandbox;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * MX's official Platform API description (v20250224, MIT, copied unchanged from MX's public
 * repository), checking both what our client sends and what the sandbox answers.
 */
final class OfficialSpec {

  private static final OpenApiInteractionValidator VALIDATOR =
      OpenApiInteractionValidator.createForSpecificationUrl(
              Objects.requireNonNull(OfficialSpec.class.getResource("/mx-openapi/v20250224.yml"))
                  .toString())
          .build();

  private OfficialSpec() {}

  /**
   * Every API exchange must match the spec: the request always, the response when it is a 2xx (the
   * spec defines no error responses).
   */
  static void assertConforms(List<MxSandbox.Exchange> exchanges) {
    List<MxSandbox.Exchange> api =
        exchanges.stream().filter(e -> e.path().startsWith("/users")).toList();
    assertThat(api).as("API exchanges to check").isNotEmpty();
    for (MxSandbox.Exchange exchange : api) {
      Request request = request(exchange);
      ValidationReport report =
          exchange.status() / 100 == 2
              ? VALIDATOR.validate(request, response(exchange))
              : VALIDATOR.validateRequest(request);
      assertThat(report.getMessages())
          .as(
              "%s %s?%s answered %d",
              exchange.method(), exchange.path(), exchange.query(), exchange.status())
          .isEmpty();
    }
  }

  private static Request request(MxSandbox.Exchange exchange) {
    SimpleRequest.Builder builder = new SimpleRequest.Builder(exchange.method(), exchange.path());
    exchange.requestHeaders().forEach(builder::withHeader);
    if (!exchange.requestBody().isEmpty()) {
      builder.withBody(exchange.requestBody());
    }
    if (exchange.query() != null) {
      for (String pair : exchange.query().split("&")) {
        String[] parts = pair.split("=", 2);
        builder.withQueryParam(decode(parts[0]), parts.length > 1 ? decode(parts[1]) : "");
      }
    }
    return builder.build();
  }

  private static SimpleResponse response(MxSandbox.Exchange exchange) {
    return SimpleResponse.Builder.status(exchange.status())
        .withContentType(exchange.responseContentType())
        .withBody(exchange.responseBody())
        .build();
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }
}
