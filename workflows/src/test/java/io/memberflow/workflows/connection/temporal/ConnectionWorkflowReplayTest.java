package io.memberflow.workflows.connection.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays the histories recorded by each release of the workflow, one per branch: a change that
 * would break a running connection fails here. The compatibility policy (docs/architecture.md,
 * Versioning): every change to workflow logic is guarded by its own {@code Workflow.getVersion},
 * and each release records its histories into a folder of its own ({@code
 * -Dmemberflow.recordHistories=true} on the workflow tests), never over an earlier release's.
 */
class ConnectionWorkflowReplayTest {

  private static final Path HISTORIES = Path.of("src/test/resources/histories");

  static List<Path> recordedHistories() throws IOException {
    try (Stream<Path> files = Files.walk(HISTORIES)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  @ParameterizedTest
  @MethodSource("recordedHistories")
  void replaysWithoutNonDeterminism(Path history) throws Exception {
    WorkflowReplayer.replayWorkflowExecution(
        WorkflowExecutionHistory.fromJson(Files.readString(history)), ConnectionWorkflowImpl.class);
  }

  @Test
  void everyBranchOfTheFirstReleaseHasARecordedHistory() throws IOException {
    assertThat(recordedHistories())
        .filteredOn(p -> p.getParent().endsWith("release-1"))
        .extracting(p -> p.getFileName().toString().replace(".json", ""))
        .containsExactlyInAnyOrder(
            "success",
            "success-platform",
            "success-atrium",
            "success-nexus",
            "forged-success",
            "confirmation-lags",
            "confirmation-cancelled",
            "mx-webhook-connects",
            "mx-webhook-denied",
            "aggregation-data-ready",
            "aggregation-failed",
            "aggregation-window-ends",
            "aggregation-skipped",
            "retry-cancelled",
            "retry-session_error",
            "attempts-exhausted",
            "search-attributes",
            "impeded-resume",
            "impeded-expires",
            "denied-retry-window-ends",
            "provider-provider_error",
            "provider-server_error",
            "timeout-connected",
            "timeout-expired",
            "cancel",
            "cancel-beats-success",
            "oauth-not-supported",
            "start-update-with-start");
  }

  /**
   * The second release (the member's life, version marker {@code member-life}): every branch of the
   * first again, since each run now carries the marker and lives on after connecting, and the
   * member's life: health from MX, repairs, refresh, disconnect, and a run continued as new.
   */
  @Test
  void everyBranchOfTheSecondReleaseHasARecordedHistory() throws IOException {
    assertThat(recorded("release-2")).containsExactlyInAnyOrderElementsOf(SINCE_MEMBER_LIFE);
  }

  /**
   * The third release (the fewest MX calls, version marker {@code fewest-mx-calls}): every branch
   * of the second again, each run now opening its member in one call through local activities.
   */
  @Test
  void everyBranchOfTheThirdReleaseHasARecordedHistory() throws IOException {
    assertThat(recorded("release-3")).containsExactlyInAnyOrderElementsOf(SINCE_MEMBER_LIFE);
  }

  /** The branches every release since the second records. */
  private static final List<String> SINCE_MEMBER_LIFE =
      List.of(
          "aggregation-data-ready",
          "aggregation-failed",
          "aggregation-skipped",
          "aggregation-window-ends",
          "attempts-exhausted",
          "cancel",
          "cancel-beats-success",
          "confirmation-cancelled",
          "confirmation-lags",
          "denied-retry-window-ends",
          "disconnect-while-connecting",
          "forged-success",
          "impeded-expires",
          "impeded-resume",
          "life-closed",
          "life-daily-reads",
          "life-disconnect",
          "life-provider-trouble",
          "life-reauth-repaired",
          "life-reauth-repaired-run2",
          "life-refresh",
          "life-repaired-by-itself",
          "life-repaired-on-another-member",
          "life-repaired-on-another-member-run2",
          "life-stale",
          "mx-webhook-connects",
          "mx-webhook-denied",
          "oauth-not-supported",
          "provider-provider_error",
          "provider-server_error",
          "retry-cancelled",
          "retry-session_error",
          "search-attributes",
          "start-update-with-start",
          "success",
          "success-atrium",
          "success-nexus",
          "success-platform",
          "timeout-connected",
          "timeout-expired");

  private static List<String> recorded(String release) throws IOException {
    return recordedHistories().stream()
        .filter(p -> p.getParent().endsWith(release))
        .map(p -> p.getFileName().toString().replace(".json", ""))
        .toList();
  }
}
