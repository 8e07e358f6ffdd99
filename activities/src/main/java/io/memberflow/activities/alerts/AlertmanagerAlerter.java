package io.memberflow.activities.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.memberflow.workflows.notifications.OperatorAlert;
import io.memberflow.workflows.notifications.OperatorAlerter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises operator alerts in Alertmanager ({@code POST /api/v2/alerts}). Without an Alertmanager
 * configured the alert is logged and counted, so nothing is lost silently.
 */
public final class AlertmanagerAlerter implements OperatorAlerter {

  public static final String ALERT_NAME = "MemberflowProviderError";
  private static final Logger log = LoggerFactory.getLogger(AlertmanagerAlerter.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI alertmanager;
  private final HttpClient client;
  private final Duration timeout;
  private final Duration resolveAfter;
  private final MeterRegistry registry;

  /**
   * @param alertmanager Alertmanager's base URL, or null to log instead
   * @param resolveAfter how long an alert stays firing unless raised again
   */
  public AlertmanagerAlerter(
      URI alertmanager,
      HttpClient client,
      Duration timeout,
      Duration resolveAfter,
      MeterRegistry registry) {
    this.alertmanager = alertmanager;
    this.client = client;
    this.timeout = timeout;
    this.resolveAfter = resolveAfter;
    this.registry = registry;
  }

  @Override
  public void raise(OperatorAlert alert) {
    String reason = alert.errorReason().name();
    if (alertmanager == null) {
      log.warn(
          "Operator alert {} (no Alertmanager configured): institution_code={} error_reason={} connection_id={} member_guid={}",
          ALERT_NAME, alert.institutionCode(), reason, alert.connectionId(), alert.memberGuid());
      count(alert, "logged");
      return;
    }
    HttpRequest request =
        HttpRequest.newBuilder(alertmanager.resolve("/api/v2/alerts"))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body(alert).toString()))
            .build();
    int status;
    try {
      status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw ApplicationFailure.newFailure("Alertmanager unreachable: " + e.getMessage(), "AlertNotRaised");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "AlertNotRaised");
    }
    if (status < 200 || status >= 300) {
      throw ApplicationFailure.newFailure("Alertmanager answered " + status, "AlertNotRaised");
    }
    count(alert, "alertmanager");
  }

  private void count(OperatorAlert alert, String delivery) {
    registry
        .counter(
            "memberflow.operator.alerts",
            "error_reason", alert.errorReason().name(),
            "delivery", delivery)
        .increment();
  }

  private ArrayNode body(OperatorAlert alert) {
    ArrayNode alerts = JSON.createArrayNode();
    ObjectNode one = alerts.addObject();
    ObjectNode labels = one.putObject("labels");
    labels.put("alertname", ALERT_NAME);
    labels.put("service", "memberflow");
    labels.put("severity", "page");
    labels.put("institution_code", alert.institutionCode());
    labels.put("error_reason", alert.errorReason().name());
    ObjectNode annotations = one.putObject("annotations");
    annotations.put(
        "summary",
        alert.errorReason() + " from institution " + alert.institutionCode() + " during OAuth");
    annotations.put(
        "description",
        "Connection " + alert.connectionId() + " (member " + alert.memberGuid()
            + ") ended its OAuth attempt with " + alert.errorReason()
            + "; the user was told to try again later.");
    annotations.put("connection_id", alert.connectionId());
    one.put("startsAt", alert.occurredAt().toString());
    one.put("endsAt", alert.occurredAt().plus(resolveAfter).toString());
    return alerts;
  }
}
