package io.memberflow.sandbox;

import io.memberflow.sandbox.SandboxState.Member;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends MX's member, connection-status and aggregation webhooks, shaped as MX documents them, to
 * the receiver it is told of, with the Basic credentials given to MX. Until it is told of one,
 * nothing is sent. Faults lose, repeat and delay them.
 */
final class MxWebhookSender {

  private static final Logger log = LoggerFactory.getLogger(MxWebhookSender.class);

  /** MX's connection_status_id of the statuses the sandbox uses. */
  /** Where webhooks go, and how they authenticate. */
  record Receiver(URI url, String username, String password) {
    String authorization() {
      return "Basic "
          + Base64.getEncoder()
              .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** One webhook that left, and what the receiver answered (0: it could not be reached). */
  public record Sent(String type, String memberGuid, String body, int status, Instant at) {}

  private final ScheduledExecutorService timer;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Sent> sent = new CopyOnWriteArrayList<>();
  private volatile Receiver receiver;
  private volatile MxWebhookFaults faults = MxWebhookFaults.NONE;

  MxWebhookSender(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  void sendTo(Receiver receiver) {
    this.receiver = receiver;
  }

  void setFaults(MxWebhookFaults faults) {
    this.faults = faults;
  }

  List<Sent> sent() {
    return List.copyOf(sent);
  }

  /** MX's member webhook: the member as it is now. */
  void memberUpdated(Member member) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("aggregated_at", member.aggregatedAt);
    fields.put("connection_status", member.connectionStatus);
    fields.put("connection_status_id", ConnectionStatuses.id(member.connectionStatus));
    fields.put("guid", member.guid);
    fields.put("id", member.id);
    fields.put("institution_code", member.institution.code());
    fields.put("is_being_aggregated", member.isBeingAggregated);
    fields.put("is_oauth", member.oauth);
    fields.put("successfully_aggregated_at", member.successfullyAggregatedAt);
    fields.put("user_guid", member.userGuid);
    fields.put("user_id", member.userId);
    send("MEMBER", member.guid, Map.of("action", "updated", "member", fields));
  }

  /** MX's connection-status webhook, which MX sends for statuses the end user must act on. */
  void connectionStatusChanged(Member member) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", "CHANGED");
    body.put("connection_status", member.connectionStatus);
    body.put("connection_status_id", ConnectionStatuses.id(member.connectionStatus));
    body.put(
        "connection_status_message",
        "The connection to " + member.institution.name() + " needs your attention.");
    body.put("member_guid", member.guid);
    body.put("type", "CONNECTION_STATUS");
    body.put("user_guid", member.userGuid);
    send("CONNECTION_STATUS", member.guid, body);
  }

  /** MX's aggregation webhook: new data after a finished aggregation. */
  void aggregated(Member member, Instant completedAt, boolean inBackground) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("action", "member_data_updated");
    body.put("completed_at", completedAt.getEpochSecond());
    body.put("completed_on", completedAt.toString().substring(0, 10));
    body.put("is_background", inBackground);
    body.put("member_guid", member.guid);
    body.put("transactions_created_count", 3);
    body.put("transactions_updated_count", 0);
    body.put("type", "AGGREGATION");
    body.put("user_guid", member.userGuid);
    body.put("user_id", member.userId);
    send("AGGREGATION", member.guid, body);
  }

  private void send(String type, String memberGuid, Map<String, Object> payload) {
    Receiver to = receiver;
    MxWebhookFaults now = faults;
    if (to == null || ThreadLocalRandom.current().nextDouble() < now.lossRate()) {
      return;
    }
    String body;
    try {
      body = SandboxHttp.JSON.writeValueAsString(payload);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    int copies = ThreadLocalRandom.current().nextDouble() < now.duplicateRate() ? 2 : 1;
    for (int i = 0; i < copies; i++) {
      timer.schedule(
          () -> deliver(to, type, memberGuid, body), now.delay().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void deliver(Receiver to, String type, String memberGuid, String body) {
    int status = 0;
    try {
      status =
          http.send(
                  HttpRequest.newBuilder(to.url())
                      .timeout(Duration.ofSeconds(10))
                      .header("Authorization", to.authorization())
                      .header("Content-Type", "application/json; charset=utf-8")
                      .header("Accept", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(body))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode();
    } catch (Exception e) {
      log.warn("MX webhook {} for {} not delivered: {}", type, memberGuid, e.toString());
    }
    sent.add(new Sent(type, memberGuid, body, status, Instant.now()));
  }
}
