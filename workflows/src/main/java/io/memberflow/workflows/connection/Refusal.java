package io.memberflow.workflows.connection;

/**
 * Why a request does not apply to a connection. Callers see the class name of the exception as the
 * failure type, which tells the API which status to answer with ({@link #INVALID}: 400, {@link
 * #CONFLICT}: 409); the message tells them why.
 *
 * <p>Plain exceptions on purpose: thrown from an update validator, a Temporal failure would fail
 * the workflow task instead of rejecting the update.
 */
public abstract sealed class Refusal extends RuntimeException {

  /** The request itself is wrong for this connection (say, another member's guid). */
  public static final String INVALID = InvalidForConnection.class.getName();

  /** The request is fine but the connection's state does not allow it now. */
  public static final String CONFLICT = ConflictsWithState.class.getName();

  private Refusal(String why) {
    super(why, null, false, false);
  }

  /**
   * Fine, but MX would not take it yet (a refresh within three hours of its last success): a
   * conflict that says when it would.
   */
  public static final String TOO_SOON = TooSoonForMx.class.getName();

  /** The failure type callers see: {@link #INVALID}, {@link #CONFLICT} or {@link #TOO_SOON}. */
  public String type() {
    return getClass().getName();
  }

  static Refusal invalid(String why) {
    return new InvalidForConnection(why);
  }

  static Refusal conflict(String why) {
    return new ConflictsWithState(why);
  }

  static Refusal tooSoon(String why) {
    return new TooSoonForMx(why);
  }

  static final class TooSoonForMx extends Refusal {
    TooSoonForMx(String why) {
      super(why);
    }
  }

  static final class InvalidForConnection extends Refusal {
    InvalidForConnection(String why) {
      super(why);
    }
  }

  static final class ConflictsWithState extends Refusal {
    ConflictsWithState(String why) {
      super(why);
    }
  }
}
