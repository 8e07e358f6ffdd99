package io.memberflow.workflows.connection;

import io.temporal.failure.ApplicationFailure;

/**
 * The two ways an update validator says no. The client sees the exception's class name as the
 * failure type, which tells the API which status to answer with; the message tells the caller why.
 *
 * <p>These are plain exceptions on purpose: a Temporal failure thrown from a validator would fail
 * the workflow task instead of rejecting the update.
 */
public final class Rejections {

  /** The request itself is wrong for this connection (say, another member's guid). */
  public static final String INVALID = InvalidForConnection.class.getName();

  /** The request is fine but the connection's state does not allow it now. */
  public static final String CONFLICT = ConflictsWithState.class.getName();

  private Rejections() {}

  static RuntimeException invalid(String why) {
    return new InvalidForConnection(why);
  }

  static RuntimeException conflict(String why) {
    return new ConflictsWithState(why);
  }

  /**
   * An update that passed its validator but found the connection moved on before it could act
   * (say, MX's webhook told the outcome first): it fails with the same type a validator's conflict
   * has, so the caller hears the same 409.
   */
  static ApplicationFailure movedOn(String why) {
    return ApplicationFailure.newNonRetryableFailure(why, CONFLICT);
  }

  static final class InvalidForConnection extends RuntimeException {
    InvalidForConnection(String why) {
      super(why, null, false, false);
    }
  }

  static final class ConflictsWithState extends RuntimeException {
    ConflictsWithState(String why) {
      super(why, null, false, false);
    }
  }
}
