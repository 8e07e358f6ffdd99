package io.memberflow.service.connections;

import io.memberflow.service.errors.ApiException;
import io.memberflow.workflows.connection.temporal.ConnectionWorkflow;
import io.memberflow.workflows.mx.MxMemberNews;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * MX's webhooks, each handed to its member's connection as a signal (the connection then reads MX).
 * Who may call this is {@code MxWebhookSecurity}'s. A webhook for a member no running connection
 * has is acknowledged and counted: MX would only send it again.
 */
@RestController
public class MxWebhookController {

  private static final Logger log = LoggerFactory.getLogger(MxWebhookController.class);

  /** MX's guids, e.g. {@code MBR-…}; nothing that could change the visibility query. */
  private static final Pattern GUID = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private final ConnectionDirectory directory;
  private final WorkflowClient client;
  private final MeterRegistry registry;

  public MxWebhookController(
      ConnectionDirectory directory, WorkflowClient client, MeterRegistry registry) {
    this.directory = directory;
    this.client = client;
    this.registry = registry;
  }

  @PostMapping(path = "/v1/mx/webhooks", consumes = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Void> receive(@RequestBody MxWebhook webhook) {
    String guid = webhook.guid();
    if (guid == null || !GUID.matcher(guid).matches()) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "Invalid MX webhook",
          "member_guid (or member.guid) must be an MX member guid: letters, digits and dashes");
    }
    count(webhook.kind(), route(guid, webhook.kind()));
    return ResponseEntity.noContent().build();
  }

  /**
   * Where the webhook went: {@code routed}, {@code unknown_member}, {@code ended} or {@code
   * unroutable}.
   */
  private String route(String guid, String kind) {
    Optional<String> connection;
    try {
      connection = directory.runningConnectionOf(guid);
    } catch (ConnectionDirectory.VisibilityUnavailable e) {
      log.warn(
          "MX webhook for {} acknowledged but not routed: this Temporal server has no visibility queries",
          guid);
      return "unroutable";
    }
    if (connection.isEmpty()) {
      return "unknown_member";
    }
    try {
      client
          .newWorkflowStub(
              ConnectionWorkflow.class, ConnectionWorkflow.workflowId(connection.get()))
          .mxMemberChanged(new MxMemberNews(guid, kind));
      return "routed";
    } catch (WorkflowNotFoundException e) {
      return "ended";
    }
  }

  private void count(String kind, String outcome) {
    registry.counter("memberflow.mx.webhooks", "type", kind, "outcome", outcome).increment();
  }
}
