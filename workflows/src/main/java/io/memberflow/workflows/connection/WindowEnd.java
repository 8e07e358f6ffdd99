package io.memberflow.workflows.connection;

import static io.memberflow.workflows.connection.ConnectionState.*;

import java.util.Set;

/** What the end of a wait's window leads to when nothing came before it. */
public enum WindowEnd {
  /**
   * MX is asked: CONNECTED if it reports the member connected (the browser lost the message), else
   * EXPIRED.
   */
  ASK_MX(Set.of(CONNECTED, EXPIRED)),
  /**
   * MX never confirmed the relayed success: a fresh window, an attempt (FAILED when none is left).
   */
  ANOTHER_WINDOW(Set.of(AWAITING_OAUTH, FAILED)),
  /** The user never resumed. */
  EXPIRES(Set.of(EXPIRED)),
  /** The user never retried. */
  FAILS(Set.of(FAILED)),
  /**
   * MX's aggregation did not end in time: {@code connection.aggregation_failed}, still CONNECTED.
   */
  AGGREGATION_FAILS(Set.of(CONNECTED));

  private final Set<ConnectionState> leadsTo;

  WindowEnd(Set<ConnectionState> leadsTo) {
    this.leadsTo = leadsTo;
  }

  /** The states the connection can be in after this end. */
  public Set<ConnectionState> leadsTo() {
    return leadsTo;
  }
}
