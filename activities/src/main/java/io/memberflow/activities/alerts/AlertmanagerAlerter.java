package io.memberflow.activities.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.memberflow.workflows.connection.OperatorAlert;
import io.memberflow.workflows.notifications.OperatorAlerter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises operator alerts in Alertmanager ({@code POST /api/v2/alerts}). Without an Alertmanager
 * configured the alert is logged and counted, so nothing is lost silently.
 */
public final class AlertmanagerAlerter implements OperatorAlerter {

  public static final String ALERT_NAME = "MemberflowProviderError";

  /** MX reports trouble at the provider for a connected member (DEGRADED and the like). */
  public static final String PROVIDER_TROUBLE_ALERT = "MemberflowMemberDegraded";

  private static final Logger log = LoggerFactory.getLogger(AlertmanagerAlerter.class);

  /** One alert as Alertmanager's API v2 takes it, whatever naming the application's JSON uses. */
  @JsonNaming(PropertyNamingStrategies.LowerCamelCaseStrategy.class)
  record Alert(
      Map<String, String> labels,
      Map<String, String> annotations,
      String startsAt,
      String endsAt) {}

  private final URI alertmanager;
  private final ObjectMapper json;
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
      ObjectMapper json,
      HttpClient client,
      Duration timeout,
      Duration resolveAfter,
      MeterRegistry registry) {
    this.alertmanager = alertmanager;
    this.json = json;
    this.client = client;
    this.timeout = timeout;
    this.resolveAfter = resolveAfter;
    this.registry = registry;
  }

  @Override
  public void raise(OperatorAlert alert) {
    String reason = alert.cause();
    if (alertmanager == null) {
      log.warn(
          "Operator alert {} (no Alertmanager configured): institution_code={} error_reason={} connection_id={} member_guid={}",
          ALERT_NAME,
          alert.institutionCode(),
          reason,
          alert.connectionId(),
          alert.memberGuid());
      count(alert, "logged");
      return;
    }
    int status;
    try {
      HttpRequest request =
          HttpRequest.newBuilder(alertmanager.resolve("/api/v2/alerts"))
              .timeout(timeout)
              .header("Content-Type", "application/json")
              .POST(
                  HttpRequest.BodyPublishers.ofByteArray(
                      json.writeValueAsBytes(List.of(body(alert)))))
              .build();
      status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(
          "Alertmanager unreachable: " + e.getMessage(), "AlertNotRaised");
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
        .counter("memberflow.operator.alerts", "error_reason", alert.cause(), "delivery", delivery)
        .increment();
  }

  private Alert body(OperatorAlert alert) {
    return alert.reportsProviderTrouble() ? providerTrouble(alert) : oauthError(alert);
  }

  /** MX reports trouble at the provider for a connected member: per institution, not per user. */
  private Alert providerTrouble(OperatorAlert alert) {
    return alert(
        alert,
        PROVIDER_TROUBLE_ALERT,
        "ticket",
        Map.entry("mx_connection_status", alert.mxConnectionStatus()),
        "MX reports "
            + alert.mxConnectionStatus()
            + " for a member of institution "
            + alert.institutionCode(),
        "is DEGRADED: MX reports "
            + alert.mxConnectionStatus()
            + "; the user cannot help, MX or the institution must.");
  }

  private Alert oauthError(OperatorAlert alert) {
    return alert(
        alert,
        ALERT_NAME,
        "page",
        Map.entry("error_reason", alert.errorReason().name()),
        alert.errorReason() + " from institution " + alert.institutionCode() + " during OAuth",
        "ended its OAuth attempt with "
            + alert.errorReason()
            + "; the user was told to try again later.");
  }

  /** An alert of one connection, per institution and cause. */
  private Alert alert(
      OperatorAlert alert,
      String name,
      String severity,
      Map.Entry<String, String> cause,
      String summary,
      String whatHappened) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("alertname", name);
    labels.put("service", "memberflow");
    labels.put("severity", severity);
    labels.put("institution_code", alert.institutionCode());
    labels.put(cause.getKey(), cause.getValue());
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put("summary", summary);
    annotations.put(
        "description",
        "Connection "
            + alert.connectionId()
            + " (member "
            + alert.memberGuid()
            + ") "
            + whatHappened);
    annotations.put("connection_id", alert.connectionId());
    return new Alert(
        labels,
        annotations,
        alert.occurredAt().toString(),
        alert.occurredAt().plus(resolveAfter).toString());
  }
}
