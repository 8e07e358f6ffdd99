package io.memberflow.service.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.memberflow.service.ApiSlice;
import io.memberflow.service.connections.ConnectionDirectory;
import io.memberflow.service.connections.MxWebhookController;
import io.memberflow.service.mx.MxProperties;
import io.memberflow.workflows.connection.temporal.ConnectionWorkflow;
import io.memberflow.workflows.mx.MxMemberNews;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.client.WorkflowClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/**
 * MX's webhooks on the web layer alone: only MX's credentials get in, and each goes to its
 * connection.
 */
@WebMvcTest(
    controllers = MxWebhookController.class,
    properties = {
      "memberflow.security.backend-api-keys=slice-backend-key",
      "memberflow.security.browser-token-secret=slice-browser-token-secret-0123456789",
      "memberflow.mx.platform.base-url=https://int-api.mx.com",
      "memberflow.mx.platform.client-id=client",
      "memberflow.mx.platform.api-key=key",
      "memberflow.mx.webhooks.username=mx",
      "memberflow.mx.webhooks.password=webhook-password"
    })
@ApiSlice
@Import({MxWebhookSecurity.class, MxWebhookSecurityTest.Metrics.class})
@EnableConfigurationProperties(MxProperties.class)
class MxWebhookSecurityTest {

  private static final String CONNECTED =
      "{\"action\":\"updated\",\"member\":{\"guid\":\"MBR-1\",\"id\":\"member-1\",\"connection_status\":\"CONNECTED\",\"new_field\":1}}";

  @TestConfiguration
  static class Metrics {
    @Bean
    MeterRegistry registry() {
      return new SimpleMeterRegistry();
    }
  }

  @Autowired MockMvc mvc;
  @Autowired MeterRegistry registry;
  @MockitoBean ConnectionDirectory directory;
  @MockitoBean WorkflowClient client;

  private ResultActions webhook(String authorization, String body) throws Exception {
    var request = post("/v1/mx/webhooks").contentType(MediaType.APPLICATION_JSON).content(body);
    return mvc.perform(
        authorization == null ? request : request.header("Authorization", authorization));
  }

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private double counted(String type, String outcome) {
    var counter =
        registry.find("memberflow.mx.webhooks").tag("type", type).tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void withoutMxsCredentialsAWebhookIsRefusedAndChangesNothing() throws Exception {
    for (String authorization :
        new String[] {
          null, basic("mx", "wrong"), basic("other", "webhook-password"), "Bearer slice-backend-key"
        }) {
      webhook(authorization, CONNECTED)
          .andExpect(status().isUnauthorized())
          .andExpect(header().string("WWW-Authenticate", Matchers.startsWith("Basic")))
          .andExpect(jsonPath("$.detail", Matchers.containsString("Basic credentials")));
    }
    verifyNoInteractions(directory, client);
  }

  @Test
  void aWebhookGoesToItsMembersConnectionAsASignal() throws Exception {
    ConnectionWorkflow connection = mock(ConnectionWorkflow.class);
    when(directory.runningConnectionOf("MBR-1")).thenReturn(Optional.of("member-1"));
    when(client.newWorkflowStub(ConnectionWorkflow.class, "connection-member-1"))
        .thenReturn(connection);

    webhook(basic("mx", "webhook-password"), CONNECTED).andExpect(status().isNoContent());

    verify(connection).mxMemberChanged(new MxMemberNews("MBR-1", "MEMBER"));
    assertThat(counted("MEMBER", "routed")).isEqualTo(1);
  }

  @Test
  void anUnknownMemberIsAcknowledgedAndCounted() throws Exception {
    when(directory.runningConnectionOf("MBR-unknown")).thenReturn(Optional.empty());

    webhook(
            basic("mx", "webhook-password"),
            "{\"type\":\"CONNECTION_STATUS\",\"action\":\"CHANGED\",\"connection_status\":\"DENIED\",\"member_guid\":\"MBR-unknown\",\"user_guid\":\"USR-1\"}")
        .andExpect(status().isNoContent());

    assertThat(counted("CONNECTION_STATUS", "unknown_member")).isEqualTo(1);
    verifyNoInteractions(client);
  }

  @Test
  void aWebhookWithoutAUsableMemberGuidIsABadRequest() throws Exception {
    webhook(
            basic("mx", "webhook-password"),
            "{\"type\":\"AGGREGATION\",\"member_guid\":\"MBR-1' OR WorkflowId != '\"}")
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.detail", Matchers.containsString("member_guid")));
    verifyNoInteractions(directory, client);
  }
}
