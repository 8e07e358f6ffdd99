package io.memberflow.workflows.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays histories recorded from earlier versions of the workflow, one per branch. A change that
 * would break running connections fails here; guard it with {@code Workflow.getVersion}, then
 * record new histories beside the old ones ({@code -Dmemberflow.recordHistories=true} on the
 * workflow tests writes them into a folder of the version's) instead of replacing these.
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
        WorkflowExecutionHistory.fromJson(Files.readString(history)),
        ConnectionWorkflowImpl.class);
  }

  @org.junit.jupiter.api.Test
  void everyBranchHasARecordedHistory() throws IOException {
    assertThat(recordedHistories())
        .extracting(p -> p.getFileName().toString())
        .contains(
            "success.json",
            "retry-cancelled.json",
            "retry-session_error.json",
            "attempts-exhausted.json",
            "impeded-resume.json",
            "impeded-expires.json",
            "denied-retry-window-ends.json",
            "provider-provider_error.json",
            "provider-server_error.json",
            "timeout-connected.json",
            "timeout-expired.json",
            "cancel.json",
            "oauth-not-supported.json",
            "success-platform.json",
            "success-atrium.json",
            "success-nexus.json",
            "search-attributes.json",
            "success-confirmed.json",
            "forged-success.json",
            "confirmation-lags.json",
            "confirmation-cancelled.json",
            "mx-webhook-connects.json",
            "mx-webhook-denied.json",
            "aggregation-data-ready.json",
            "aggregation-failed.json");
  }
}
