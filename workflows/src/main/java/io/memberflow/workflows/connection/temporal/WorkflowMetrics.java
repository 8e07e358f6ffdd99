package io.memberflow.workflows.connection.temporal;

import com.uber.m3.tally.Scope;
import com.uber.m3.util.Duration;
import io.memberflow.workflows.connection.ConnectionMetrics;
import io.memberflow.workflows.connection.ConnectionState;
import io.memberflow.workflows.connection.MemberHealth;
import io.temporal.workflow.Workflow;
import java.util.HashMap;
import java.util.Map;

/**
 * The workflow's metrics, through {@code Workflow.getMetricsScope()}: silent during replay, so each
 * event counts once. Every series carries the bounded institution label; tagged scopes are made
 * once per workflow and label set, not per call.
 */
final class WorkflowMetrics implements ConnectionMetrics {

  private final Scope scope;
  private final Map<String, Scope> tagged = new HashMap<>();

  WorkflowMetrics(String institution) {
    this.scope =
        Workflow.getMetricsScope()
            .tagged(Map.of("institution", institution == null ? "other" : institution));
  }

  @Override
  public void started() {
    scope.counter("memberflow_connections_started").inc(1);
  }

  @Override
  public void uriIssued() {
    scope.counter("memberflow_oauth_uris_issued").inc(1);
  }

  @Override
  public void oauthResult(String result) {
    tagged("result", result).counter("memberflow_oauth_results").inc(1);
  }

  @Override
  public void confirmation(String outcome) {
    tagged("confirmation", outcome).counter("memberflow_oauth_confirmations").inc(1);
  }

  @Override
  public void aggregation(String outcome) {
    tagged("aggregation", outcome).counter("memberflow_aggregations").inc(1);
  }

  @Override
  public void transition(ConnectionState from, ConnectionState to) {
    tagged("transition", from + ">" + to, Map.of("from", from.name(), "to", to.name()))
        .counter("memberflow_connection_transitions")
        .inc(1);
  }

  @Override
  public void finished(ConnectionState outcome, long millis) {
    Scope byOutcome = tagged("outcome", outcome.name());
    byOutcome.counter("memberflow_connections_finished").inc(1);
    byOutcome.timer("memberflow_connection_duration").record(Duration.ofMillis(millis));
  }

  @Override
  public void memberHealth(MemberHealth health) {
    tagged("health", health.name()).counter("memberflow_member_health_changes").inc(1);
  }

  @Override
  public void repair(String step) {
    tagged("step", step).counter("memberflow_repairs").inc(1);
  }

  @Override
  public void timeToRepair(long millis) {
    scope.timer("memberflow_time_to_repair").record(Duration.ofMillis(millis));
  }

  @Override
  public void stale() {
    scope.counter("memberflow_connections_stale").inc(1);
  }

  private Scope tagged(String name, String value) {
    return tagged(name, value, Map.of(name, value));
  }

  private Scope tagged(String kind, String key, Map<String, String> tags) {
    return tagged.computeIfAbsent(kind + "=" + key, k -> scope.tagged(tags));
  }
}
