package io.memberflow.workflows.connection;

import static io.memberflow.workflows.connection.ConnectionEvent.*;
import static io.memberflow.workflows.connection.ConnectionState.*;

import java.util.EnumSet;
import java.util.Set;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.statemachine.StateMachine;
import org.springframework.statemachine.StateMachineEventResult.ResultType;
import org.springframework.statemachine.config.StateMachineBuilder;
import org.springframework.statemachine.config.configurers.ExternalTransitionConfigurer;
import reactor.core.publisher.Mono;

/**
 * The single definition of a connection's states, events and legal transitions.
 *
 * <p>Built on Spring Statemachine with plain transitions only (no actions, guards, timers or
 * regions), without a Spring context and without executors, so every event is handled in the
 * caller's thread: the workflow drives it from its own deterministic thread and replay rebuilds
 * the same state. Spring Statemachine is end-of-life upstream; nothing outside this class names
 * it, so it can be replaced here alone.
 */
public final class ConnectionLifecycle {

  private static final Set<ConnectionState> WAITING_ON_USER =
      EnumSet.of(ACTION_REQUIRED, LOGIN_FAILED, PROVIDER_UNAVAILABLE);

  private final StateMachine<ConnectionState, ConnectionEvent> machine;

  public ConnectionLifecycle() {
    try {
      machine = build();
    } catch (Exception e) {
      throw new IllegalStateException("connection lifecycle definition is invalid", e);
    }
    machine.startReactively().block();
  }

  public ConnectionState state() {
    return machine.getState().getId();
  }

  /** Whether {@code event} is legal in the current state. */
  public boolean accepts(ConnectionEvent event) {
    ConnectionState current = state();
    return machine.getTransitions().stream()
        .anyMatch(
            t -> t.getSource().getId() == current && t.getTrigger().getEvent() == event);
  }

  /**
   * Moves the lifecycle on.
   *
   * @throws IllegalStateException when the event is not legal in the current state: a bug in the
   *     workflow, never a user error (validators check {@link #accepts} first)
   */
  public ConnectionState fire(ConnectionEvent event) {
    ConnectionState from = state();
    var result =
        machine.sendEvent(Mono.just(MessageBuilder.withPayload(event).build())).blockLast();
    if (result == null || result.getResultType() != ResultType.ACCEPTED) {
      throw new IllegalStateException(event + " is not legal in state " + from);
    }
    return state();
  }

  private static StateMachine<ConnectionState, ConnectionEvent> build() throws Exception {
    StateMachineBuilder.Builder<ConnectionState, ConnectionEvent> builder =
        StateMachineBuilder.builder();
    builder.configureConfiguration().withConfiguration().autoStartup(false);
    builder
        .configureStates()
        .withStates()
        .initial(STARTING)
        .states(EnumSet.allOf(ConnectionState.class));

    var t = builder.configureTransitions();
    allow(t.withExternal(), STARTING, MEMBER_READY, AWAITING_OAUTH);
    allow(t.withExternal(), STARTING, MX_FAILED, FAILED);
    allow(t.withExternal(), AWAITING_OAUTH, MX_FAILED, FAILED);

    allow(t.withExternal(), AWAITING_OAUTH, OAUTH_SUCCEEDED, CONNECTED);
    allow(t.withExternal(), AWAITING_OAUTH, OAUTH_RETRYABLE_FAILURE, AWAITING_OAUTH);
    allow(t.withExternal(), AWAITING_OAUTH, OAUTH_ACTION_REQUIRED, ACTION_REQUIRED);
    allow(t.withExternal(), AWAITING_OAUTH, OAUTH_LOGIN_FAILED, LOGIN_FAILED);
    allow(t.withExternal(), AWAITING_OAUTH, OAUTH_PROVIDER_UNAVAILABLE, PROVIDER_UNAVAILABLE);
    allow(t.withExternal(), AWAITING_OAUTH, ATTEMPTS_EXHAUSTED, FAILED);
    allow(t.withExternal(), AWAITING_OAUTH, TIMED_OUT_BUT_CONNECTED, CONNECTED);
    allow(t.withExternal(), AWAITING_OAUTH, TIMED_OUT, EXPIRED);

    allow(t.withExternal(), ACTION_REQUIRED, USER_RESUMED, AWAITING_OAUTH);
    allow(t.withExternal(), ACTION_REQUIRED, WINDOW_ENDED, EXPIRED);
    allow(t.withExternal(), LOGIN_FAILED, USER_RETRIED, AWAITING_OAUTH);
    allow(t.withExternal(), LOGIN_FAILED, WINDOW_ENDED, FAILED);
    allow(t.withExternal(), PROVIDER_UNAVAILABLE, USER_RETRIED, AWAITING_OAUTH);
    allow(t.withExternal(), PROVIDER_UNAVAILABLE, WINDOW_ENDED, FAILED);

    for (ConnectionState state : ConnectionState.values()) {
      if (!state.isTerminal()) {
        allow(t.withExternal(), state, CANCEL, CANCELLED);
      }
    }
    return builder.build();
  }

  private static void allow(
      ExternalTransitionConfigurer<ConnectionState, ConnectionEvent> transition,
      ConnectionState from,
      ConnectionEvent event,
      ConnectionState to) {
    transition.source(from).event(event).target(to);
  }

  /** States in which the connection waits for the user's resume or retry. */
  static boolean isWaitingOnUser(ConnectionState state) {
    return WAITING_ON_USER.contains(state);
  }
}
