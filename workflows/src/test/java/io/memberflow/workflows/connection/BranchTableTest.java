package io.memberflow.workflows.connection;

import static io.memberflow.workflows.connection.ConnectionEvent.*;
import static io.memberflow.workflows.connection.ConnectionState.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The branch table and the lifecycle tell one story: each row's event takes an awaited OAuth to the
 * row's next state, and the end of the row's wait leads where the row says, by legal steps.
 */
class BranchTableTest {

  /** The events a window's end can fire, by what it leads to. */
  private static final Map<WindowEnd, List<ConnectionEvent>> END_EVENTS =
      Map.of(
          WindowEnd.ASK_MX, List.of(TIMED_OUT, TIMED_OUT_BUT_CONNECTED),
          WindowEnd.ANOTHER_WINDOW, List.of(NOT_CONFIRMED, ATTEMPTS_EXHAUSTED),
          WindowEnd.EXPIRES, List.of(WINDOW_ENDED),
          WindowEnd.FAILS, List.of(WINDOW_ENDED));

  @ParameterizedTest
  @EnumSource(OutcomeAction.class)
  void aRowsEventTakesTheConnectionToTheRowsNextState(OutcomeAction row) {
    assertThat(after(AWAITING_OAUTH, row.event())).isEqualTo(row.nextState());
  }

  @ParameterizedTest
  @EnumSource(OutcomeAction.class)
  void theEndOfARowsWaitLeadsWhereTheRowSays(OutcomeAction row) {
    Set<ConnectionState> reached = EnumSet.noneOf(ConnectionState.class);
    for (ConnectionEvent event : END_EVENTS.get(row.windowEnd())) {
      reached.add(after(row.nextState(), event));
    }
    assertThat(reached).isEqualTo(row.windowEnd().leadsTo());
  }

  @ParameterizedTest
  @EnumSource(OutcomeAction.class)
  void aRowThatNeedsAnotherWindowCanStillEndAsFailedWhenNoneIsLeft(OutcomeAction row) {
    if (row.then().needsAnotherWindow()) {
      assertThat(after(AWAITING_OAUTH, ATTEMPTS_EXHAUSTED)).isEqualTo(FAILED);
    }
    // the user's way back from a row that waits for them
    if (row.then() == Wait.RESUME) {
      assertThat(after(row.nextState(), USER_RESUMED)).isEqualTo(AWAITING_OAUTH);
    }
    if (row.then() == Wait.RETRY) {
      assertThat(after(row.nextState(), USER_RETRIED)).isEqualTo(AWAITING_OAUTH);
    }
  }

  @ParameterizedTest
  @EnumSource(OutcomeAction.class)
  void aRowThatFetchesAFreshWindowWaitsForItsMessageAsEveryFreshWindowDoes(OutcomeAction row) {
    if (row.fetchesFreshUri()) {
      assertThat(row.then()).isEqualTo(Wait.OAUTH);
      assertThat(row.windowEnd()).isEqualTo(WindowEnd.ASK_MX);
    }
  }

  @Test
  void everyErrorReasonHasExactlyOneDefaultRowAndASuccessHasItsOwn() {
    for (ErrorReason reason : ErrorReason.values()) {
      assertThat(Arrays.stream(OutcomeAction.values()).filter(r -> r.defaultFor().contains(reason)))
          .as("rows that are the default for %s", reason)
          .hasSize(1);
    }
    assertThat(OutcomeAction.CONFIRM_WITH_MX.defaultFor()).isEmpty();
    assertThat(OutcomeAction.CONFIRM_WITH_MX.then()).isEqualTo(Wait.CONFIRMATION);
  }

  @Test
  void attemptsCanBeCancelledAndConnectedMembersDisconnected() {
    for (ConnectionState state : ConnectionState.values()) {
      boolean attempting = !state.isTerminal() && !state.isConnectedLife();
      assertThat(ConnectionLifecycle.after(state, CANCEL))
          .as("where CANCEL leads from %s", state)
          .isEqualTo(attempting ? CANCELLED : null);
      if (!state.isTerminal()) {
        assertThat(after(state, ConnectionEvent.DISCONNECT))
            .isEqualTo(ConnectionState.DISCONNECTED);
      }
    }
  }

  @Test
  void aRepairThatDoesNotConnectLeavesTheUserToActAgain() {
    for (ConnectionState state : ConnectionLifecycle.ATTEMPTING) {
      if (state != ConnectionState.STARTING) {
        assertThat(after(state, ConnectionEvent.REPAIR_ENDED))
            .isEqualTo(ConnectionState.REAUTH_REQUIRED);
      }
    }
  }

  @Test
  void everyHealthClassLeadsWhereItSays() {
    for (MemberHealth health : MemberHealth.values()) {
      if (health.state() != null) {
        assertThat(
                after(
                    ConnectionState.CONNECTED == health.state()
                        ? ConnectionState.DEGRADED
                        : ConnectionState.CONNECTED,
                    health.event()))
            .isEqualTo(health.state());
      }
    }
  }

  /** Where the lifecycle goes from {@code state} on {@code event}; fails if it may not. */
  private static ConnectionState after(ConnectionState state, ConnectionEvent event) {
    ConnectionState next = ConnectionLifecycle.after(state, event);
    assertThat(next).as("where %s leads from %s", event, state).isNotNull();
    return next;
  }
}
