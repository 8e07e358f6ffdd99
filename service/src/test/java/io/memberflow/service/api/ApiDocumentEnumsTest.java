package io.memberflow.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.memberflow.workflows.connection.ConnectionEvent;
import io.memberflow.workflows.connection.ConnectionState;
import io.memberflow.workflows.connection.NotificationType;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The OpenAPI document names every state, event and webhook type the workflow has: a new one added
 * in code but not in the contract fails here, before an integrator meets it.
 */
class ApiDocumentEnumsTest {

  private static Map<String, Object> schemas() throws IOException {
    try (InputStream document =
        ApiDocumentEnumsTest.class.getResourceAsStream("/openapi/memberflow.yaml")) {
      Map<String, Object> root = new Yaml().load(document);
      @SuppressWarnings("unchecked")
      Map<String, Object> components = (Map<String, Object>) root.get("components");
      @SuppressWarnings("unchecked")
      Map<String, Object> schemas = (Map<String, Object>) components.get("schemas");
      return schemas;
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> enumOf(String schema) throws IOException {
    return (List<String>) ((Map<String, Object>) schemas().get(schema)).get("enum");
  }

  @Test
  void everyStateEventAndWebhookTypeIsInTheContract() throws IOException {
    assertThat(enumOf("ConnectionState"))
        .containsExactlyElementsOf(
            Arrays.stream(ConnectionState.values()).map(Enum::name).toList());
    assertThat(enumOf("ConnectionEvent"))
        .containsExactlyElementsOf(
            Arrays.stream(ConnectionEvent.values()).map(Enum::name).toList());
    assertThat(enumOf("WebhookType"))
        .containsExactlyElementsOf(
            Arrays.stream(NotificationType.values()).map(NotificationType::eventType).toList());
  }
}
