package io.memberflow.bench;

/** One way of running a complete connection flow: memberflow's API, or the bare baseline. */
interface Side {

  String name();

  /** The process that does this side's work beside the Temporal server and the sandbox. */
  Part worker();

  /** The id of the workflow that runs the flow of this member id, for its history's length. */
  String workflowId(String memberId);

  /** One complete flow with this member id: start, the browser's OAuth, the relayed success. */
  FlowTimes run(String memberId) throws Exception;

  /** Requests repeated so far because the answer asked for it (a 503 with Retry-After). */
  long repeated();

  /**
   * @param startNanos from the start request to a window in hand
   * @param relayNanos from relaying the browser's message to the connection known connected
   */
  record FlowTimes(long startNanos, long relayNanos) {}
}
