package io.memberflow.workflows.connection;

import static io.memberflow.workflows.connection.ConnectionState.*;

import io.memberflow.workflows.connection.ClientRequest.Kind;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether a client's request applies to a connection. The one place it is decided: the update
 * validators ask {@link #applies} before a request reaches history; when its turn comes, the
 * connection asks {@link #stillApplies}, for what may have changed since.
 */
public final class RequestRules {

  private final ConnectionData data;
  private final ConnectionEnvironment env;

  /** The windows whose signed APP redirect has been used: each works once. */
  private final Set<Integer> usedRedirects = new HashSet<>();

  RequestRules(ConnectionData data, ConnectionEnvironment env) {
    this.data = data;
    this.env = env;
  }

  /**
   * {@code true} when the request applies with {@code queued} ahead of it; {@code false} when the
   * connection already is where it would take it (MX's webhook told the outcome first).
   *
   * @throws Refusal why it does not apply
   */
  public boolean applies(ClientRequest request, Collection<ClientRequest> queued) {
    switch (request.kind()) {
      case MESSAGE -> {
        return messageApplies(request.message(), queued);
      }
      case RETRY, RESUME -> {
        refuseUnlessAccepted(
            request.kind(),
            request.kind() == Kind.RETRY
                ? "retry applies after DENIED or a provider error"
                : "resume applies after IMPEDED");
        if (queued.stream().anyMatch(q -> q.kind() == Kind.RETRY || q.kind() == Kind.RESUME)) {
          throw Refusal.conflict("a retry or resume is already under way");
        }
      }
      case CANCEL ->
          refuseUnlessAccepted(
              Kind.CANCEL,
              "cancel applies while the connection is being made; a connected member is"
                  + " disconnected instead");
      case RECONNECT -> {
        refuseIfEnded();
        if (data.life.repairing || isQueued(Kind.RECONNECT, queued)) {
          return false; // one repair at a time: a second reconnect joins the first
        }
        refuseUnlessAccepted(
            Kind.RECONNECT,
            "reconnect applies when MX reports that the user must sign in again"
                + " (REAUTH_REQUIRED)");
      }
      case REFRESH -> {
        refuseIfEnded();
        ConnectionState state = data.state();
        if (state != CONNECTED && state != DEGRADED) {
          throw Refusal.conflict(
              "refresh applies to a connected member; the connection is " + state);
        }
        if (data.aggregation.isFollowed() || isQueued(Kind.REFRESH, queued)) {
          return false; // the aggregation under way answers it
        }
        Instant from = data.life.refreshAvailableAt(env.now());
        if (from != null) {
          throw Refusal.tooSoon(
              "too soon: MX takes a requested aggregation three hours after its last success, from "
                  + from);
        }
      }
      case DISCONNECT -> {
        if (data.state() == DISCONNECTED) {
          return false; // disconnected already: it answers as it is
        }
        refuseIfEnded();
        if (isQueued(Kind.DISCONNECT, queued)) {
          return false;
        }
      }
    }
    return true;
  }

  /** Refuses a request whose event the lifecycle does not take now, saying the rule. */
  private void refuseUnlessAccepted(Kind kind, String rule) {
    refuseIfEnded();
    if (!data.lifecycle.accepts(kind.event)) {
      throw Refusal.conflict(rule + "; the connection is " + data.state());
    }
  }

  private static boolean isQueued(Kind kind, Collection<ClientRequest> queued) {
    return queued.stream().anyMatch(q -> q.kind() == kind);
  }

  /**
   * At the request's turn, what may have changed since its validator let it through: of two that
   * cannot both apply (a cancel and a success, say), the second hears that it did not. {@code
   * false} when the connection already is where the request would take it.
   *
   * @throws Refusal when the connection moved on
   */
  boolean stillApplies(ClientRequest request) {
    Kind kind = request.kind();
    if (data.isFinished() && kind != Kind.MESSAGE && kind != Kind.DISCONNECT) {
      throw Refusal.conflict(
          "the connection moved on before this could apply: it is " + data.state());
    }
    if ((kind == Kind.MESSAGE && alreadyReached(request.message()))
        || (kind == Kind.RECONNECT && data.life.repairing)
        || (kind == Kind.REFRESH && data.aggregation.isFollowed())
        || (kind == Kind.DISCONNECT && data.state() == DISCONNECTED)) {
      return false;
    }
    boolean open =
        switch (kind) {
          case MESSAGE -> windowTakes(request.message());
          case REFRESH -> data.state() == CONNECTED || data.state() == DEGRADED;
          default -> data.lifecycle.accepts(kind.event);
        };
    if (data.isFinished() || !open) {
      throw Refusal.conflict(
          "the connection moved on before this could apply: it is " + data.state());
    }
    return true;
  }

  /** A redirect's first use, applied or not, is its only one. */
  void taken(ClientRequest request) {
    if (request.kind() == Kind.MESSAGE && request.message().redirectAttempt() != null) {
      usedRedirects.add(request.message().redirectAttempt());
    }
  }

  private boolean messageApplies(OAuthMessage message, Collection<ClientRequest> queued) {
    Integer redirect = message.redirectAttempt();
    if (redirect != null && usedRedirects.contains(redirect)) {
      throw Refusal.conflict("this redirect was used already: the connection is " + data.state());
    }
    if (alreadyReached(message)) {
      return false;
    }
    refuseIfEnded();
    // A repair's OAuth may end on another member of the same MX user (MX's inbound member): its
    // success is then a candidate, which only MX's word, read under this user, makes the member.
    if (!isOwnMember(message) && !(message.succeeded() && data.life.repairing)) {
      // The connection's own guid is not named: the refusal must not teach a forger the answer.
      throw Refusal.invalid(
          "member_guid " + message.memberGuid() + " does not belong to this connection");
    }
    if (!windowTakes(message)) {
      throw Refusal.conflict("no OAuth window is open: the connection is " + data.state());
    }
    if (redirect != null && redirect != data.attempt) {
      throw Refusal.conflict(
          "this redirect was for window "
              + redirect
              + ", which is over: the connection is "
              + data.state()
              + " on window "
              + data.attempt);
    }
    if (queued.stream().anyMatch(q -> q.kind() == Kind.MESSAGE)) {
      throw Refusal.conflict("a message for this OAuth window is already being handled");
    }
    return true;
  }

  /**
   * Whether the connection already is where this message would take it: MX's webhook can tell an
   * outcome before the browser relays it, and the browser then hears the connection as it is.
   */
  private boolean alreadyReached(OAuthMessage message) {
    // A redirect counts only for its own window (its first use: see messageApplies).
    if ((message.redirectAttempt() != null && message.redirectAttempt() != data.attempt)
        || !isOwnMember(message)) {
      return false;
    }
    ConnectionState state = data.state();
    if (message.succeeded()) {
      return state == CONFIRMING || state == CONNECTED;
    }
    ErrorReason last = data.lastErrorReason;
    return message.errorReason() == last
        && ((state == LOGIN_FAILED && last == ErrorReason.DENIED)
            || (state == ACTION_REQUIRED && last == ErrorReason.IMPEDED));
  }

  /** Whether an open window can take this message now. */
  private boolean windowTakes(OAuthMessage message) {
    return data.oauthWindowUri != null
        && data.lifecycle.accepts(data.request.policy().actionFor(message).event());
  }

  private boolean isOwnMember(OAuthMessage message) {
    return data.isOwnMember(message.memberGuid());
  }

  private void refuseIfEnded() {
    if (data.isFinished()) {
      throw Refusal.conflict("the connection has ended: it is " + data.state());
    }
  }

  /** A start that names another user, institution or MX API than the connection is refused. */
  public void checkStart(ConnectionRequest start) {
    ConnectionRequest running = data.request;
    differs("user_id", running.userId(), start.userId());
    differs("institution_code", running.institutionCode(), start.institutionCode());
    differs("mx_api", data.request.mxApi().wireName(), start.mxApi().wireName());
  }

  /** Whether {@code start} is the request that began the data. */
  public boolean wasStartedBy(ConnectionRequest start) {
    return start.startId() != null && start.startId().equals(data.request.startId());
  }

  private void differs(String field, String running, String asked) {
    if (!running.equals(asked)) {
      throw Refusal.conflict(
          field
              + " differs: connection "
              + data.request.connectionId()
              + " is running with "
              + field
              + " "
              + running
              + ", not "
              + asked);
    }
  }
}
