package io.memberflow.workflows.connection;

import static io.memberflow.workflows.connection.ConnectionEvent.*;
import static io.memberflow.workflows.connection.ConnectionState.*;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.springframework.statemachine.StateMachine;
import org.springframework.statemachine.config.StateMachineBuilder;
import org.springframework.statemachine.config.configurers.ExternalTransitionConfigurer;
import org.springframework.statemachine.transition.Transition;

/**
 * The single definition of a connection's states, events and legal transitions.
 *
 * <p>The definition is a Spring Statemachine model with plain transitions only (no actions, guards,
 * timers or regions), built and verified by Spring Statemachine once per JVM. A lifecycle is then
 * only its current state, moved along the model's transitions: making one costs nothing, which
 * matters because every workflow run and every replay makes one, and moving it runs in the
 * workflow's own thread with no Reactor pipeline. Spring Statemachine is end-of-life upstream;
 * nothing outside this class names it, so it can be replaced here alone.
 */
public final class ConnectionLifecycle {

  /**
   * The states a connection tries OAuth windows in, first or in a repair (declared first: the
   * transitions are built from it).
   */
  static final Set<ConnectionState> ATTEMPTING =
      EnumSet.of(
          STARTING,
          AWAITING_OAUTH,
          CONFIRMING,
          ACTION_REQUIRED,
          LOGIN_FAILED,
          PROVIDER_UNAVAILABLE);

  /** state → event → next state, read from the Spring Statemachine model. */
  private static final Map<ConnectionState, Map<ConnectionEvent, ConnectionState>> TRANSITIONS =
      transitionsOf(definition());

  private ConnectionState state;

  public ConnectionLifecycle() {
    this(STARTING);
  }

  /** A lifecycle where an earlier run of the connection left it. */
  ConnectionLifecycle(ConnectionState at) {
    this.state = at;
  }

  /** Where {@code event} takes a connection that is {@code from}; null where it is not legal. */
  static ConnectionState after(ConnectionState from, ConnectionEvent event) {
    return TRANSITIONS.get(from).get(event);
  }

  public ConnectionState state() {
    return state;
  }

  /** Whether {@code event} is legal in the current state. */
  public boolean accepts(ConnectionEvent event) {
    return after(state, event) != null;
  }

  /**
   * Moves the lifecycle on.
   *
   * @throws IllegalStateException when the event is not legal in the current state: a bug in the
   *     workflow, never a user error (validators check {@link #accepts} first)
   */
  public ConnectionState fire(ConnectionEvent event) {
    ConnectionState next = after(state, event);
    if (next == null) {
      throw new IllegalStateException(event + " is not legal in state " + state);
    }
    state = next;
    return next;
  }

  private static StateMachine<ConnectionState, ConnectionEvent> definition() {
    try {
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

      allow(t.withExternal(), AWAITING_OAUTH, OAUTH_REPORTED_SUCCESS, CONFIRMING);
      allow(t.withExternal(), CONFIRMING, MX_CONFIRMED, CONNECTED);
      allow(t.withExternal(), AWAITING_OAUTH, MX_CONFIRMED, CONNECTED);
      allow(t.withExternal(), CONFIRMING, NOT_CONFIRMED, AWAITING_OAUTH);
      allow(t.withExternal(), CONFIRMING, ATTEMPTS_EXHAUSTED, FAILED);
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

      for (ConnectionState state : ATTEMPTING) {
        allow(t.withExternal(), state, CANCEL, CANCELLED);
        if (state != STARTING) {
          allow(t.withExternal(), state, REPAIR_ENDED, REAUTH_REQUIRED);
        }
      }

      // The member's life: MX's status decides, the user repairs.
      allow(t.withExternal(), CONNECTED, USER_MUST_ACT, REAUTH_REQUIRED);
      allow(t.withExternal(), DEGRADED, USER_MUST_ACT, REAUTH_REQUIRED);
      allow(t.withExternal(), CONNECTED, PROVIDER_TROUBLE, DEGRADED);
      allow(t.withExternal(), DEGRADED, HEALTHY_AGAIN, CONNECTED);
      allow(t.withExternal(), REAUTH_REQUIRED, HEALTHY_AGAIN, CONNECTED);
      allow(t.withExternal(), REAUTH_REQUIRED, RECONNECT, AWAITING_OAUTH);
      for (ConnectionState state : ConnectionState.values()) {
        if (state.isConnectedLife()) {
          allow(t.withExternal(), state, MX_CLOSED, CLOSED);
        }
        if (!state.isTerminal()) {
          allow(t.withExternal(), state, DISCONNECT, DISCONNECTED);
        }
      }
      return builder.build();
    } catch (Exception e) {
      throw new IllegalStateException("connection lifecycle definition is invalid", e);
    }
  }

  private static void allow(
      ExternalTransitionConfigurer<ConnectionState, ConnectionEvent> transition,
      ConnectionState from,
      ConnectionEvent event,
      ConnectionState to) {
    transition.source(from).event(event).target(to);
  }

  private static Map<ConnectionState, Map<ConnectionEvent, ConnectionState>> transitionsOf(
      StateMachine<ConnectionState, ConnectionEvent> machine) {
    Map<ConnectionState, Map<ConnectionEvent, ConnectionState>> table =
        new EnumMap<>(ConnectionState.class);
    for (ConnectionState state : ConnectionState.values()) {
      table.put(state, new EnumMap<>(ConnectionEvent.class));
    }
    for (Transition<ConnectionState, ConnectionEvent> transition : machine.getTransitions()) {
      ConnectionState from = transition.getSource().getId();
      ConnectionState previous =
          table.get(from).put(transition.getTrigger().getEvent(), transition.getTarget().getId());
      if (previous != null) {
        throw new IllegalStateException(
            from + " has two transitions on " + transition.getTrigger().getEvent());
      }
    }
    table.replaceAll((state, events) -> Map.copyOf(events));
    return Map.copyOf(table);
  }
}
