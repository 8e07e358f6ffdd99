package io.memberflow.workflows.connection;

import static io.memberflow.workflows.connection.ConnectionState.*;

import io.memberflow.workflows.connection.ClientRequest.Kind;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Whether a client's request applies to a connection now. The one place it is decided: the update
 * validators ask before a request reaches history, the connection again when its turn comes.
 */
public final class RequestRules {

  private final ConnectionData connection;

  /** The windows whose signed APP redirect has been used: each works once. */
  private final Set<Integer> usedRedirects = new HashSet<>();

  RequestRules(ConnectionData connection) {
    this.connection = connection;
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
        refuseIfEnded();
        if (!connection.lifecycle.accepts(request.kind().event)) {
          String rule =
              request.kind() == Kind.RETRY
                  ? "retry applies after DENIED or a provider error"
                  : "resume applies after IMPEDED";
          throw Refusal.conflict(rule + "; the connection is " + connection.state());
        }
        if (queued.stream().anyMatch(q -> q.kind() == Kind.RETRY || q.kind() == Kind.RESUME)) {
          throw Refusal.conflict("a retry or resume is already under way");
        }
      }
      case CANCEL -> refuseIfEnded();
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
      throw Refusal.conflict(
          "this redirect was used already: the connection is " + connection.state());
    }
    if (alreadyReached(message)) {
      return false;
    }
    refuseIfEnded();
    if (!isOwnMember(message)) {
      // The connection's own guid is not named: the refusal must not teach a forger the answer.
      throw Refusal.invalid(
          "member_guid " + message.memberGuid() + " does not belong to this connection");
    }
    if (connection.oauthWindowUri == null
        || !connection.lifecycle.accepts(connection.request.policy().actionFor(message).event())) {
      throw Refusal.conflict("no OAuth window is open: the connection is " + connection.state());
    }
    if (redirect != null && redirect != connection.attempt) {
      throw Refusal.conflict(
          "this redirect was for window "
              + redirect
              + ", which is over: the connection is "
              + connection.state()
              + " on window "
              + connection.attempt);
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
    if ((message.redirectAttempt() != null && message.redirectAttempt() != connection.attempt)
        || !isOwnMember(message)) {
      return false;
    }
    ConnectionState state = connection.state();
    if (message.succeeded()) {
      return state == CONFIRMING || state == CONNECTED;
    }
    ErrorReason last = connection.lastErrorReason;
    return message.errorReason() == last
        && ((state == LOGIN_FAILED && last == ErrorReason.DENIED)
            || (state == ACTION_REQUIRED && last == ErrorReason.IMPEDED));
  }

  private boolean isOwnMember(OAuthMessage message) {
    return connection.isOwnMember(message.memberGuid());
  }

  private void refuseIfEnded() {
    if (connection.state().isTerminal()) {
      throw Refusal.conflict("the connection has ended: it is " + connection.state());
    }
  }

  /** A start that names another user, institution or MX API than the connection is refused. */
  public void checkStart(ConnectionRequest start) {
    ConnectionRequest running = connection.request;
    differs("user_id", running.userId(), start.userId());
    differs("institution_code", running.institutionCode(), start.institutionCode());
    differs("mx_api", connection.api.wireName(), start.mxApi().wireName());
  }

  /** Whether {@code start} is the request that began the connection. */
  public boolean wasStartedBy(ConnectionRequest start) {
    return start.startId() != null && start.startId().equals(connection.request.startId());
  }

  private void differs(String field, String running, String asked) {
    if (!running.equals(asked)) {
      throw Refusal.conflict(
          field
              + " differs: connection "
              + connection.request.connectionId()
              + " is running with "
              + field
              + " "
              + running
              + ", not "
              + asked);
    }
  }
}
