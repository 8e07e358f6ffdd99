/**
 * @memberflow/react: one memberflow connection's sign-in as React state. The hook owns a
 * Memberflow from @memberflow/browser for as long as the component is mounted; its events become
 * the state the component renders, and its actions are the package's, unchanged.
 */
import { useEffect, useMemo, useRef, useState } from "react";
import {
  BackendAnswer,
  BackendCancelAnswer,
  Connection,
  Memberflow,
  MemberflowError,
  MemberflowEvent,
  MemberflowEventType,
  MemberflowOptions,
  StartedConnection,
} from "@memberflow/browser";

export type * from "@memberflow/browser";

/** What the component renders: the last event, the connection it carried, the last failure. */
export interface MemberflowState {
  /** The last event's type; "idle" until the first. */
  status: MemberflowEventType | "idle";
  /** The connection as memberflow last answered it. */
  connection?: Connection;
  /** Set by a failed event, cleared by the next event that is not one. */
  error?: MemberflowError;
}

/** The package's actions; each that opens a window must run in the click handler. */
export interface MemberflowActions {
  connect(start: () => Promise<BackendAnswer>): Promise<Connection>;
  reconnect(ask: () => Promise<BackendAnswer>): Promise<Connection>;
  retry(): Promise<Connection>;
  resume(): Promise<Connection>;
  cancel(ask: () => Promise<BackendCancelAnswer>): Promise<Connection>;
  openWindow(): void;
  refresh(): Promise<Connection>;
  returned(url: string): Promise<Connection>;
  attach(started: StartedConnection): Connection;
}

export const IDLE: MemberflowState = { status: "idle" };

/** The state after an event: the hook's whole logic, kept pure so it is tested without React. */
export function nextState(state: MemberflowState, event: MemberflowEvent): MemberflowState {
  if (event.type === "failed") {
    return {
      status: "failed",
      connection: event.connection ?? state.connection,
      error: event.error,
    };
  }
  return { status: event.type, connection: event.connection };
}

/**
 * A connection's sign-in in this component. A change of mxOrigin, apiBase or referralSource starts
 * over (a fresh Memberflow, state idle); onEvent and openExternal may change on every render.
 */
export function useMemberflow(
  options: MemberflowOptions,
): MemberflowState & MemberflowActions {
  const [state, setState] = useState<MemberflowState>(IDLE);
  const latest = useRef(options);
  latest.current = options;
  const flow = useRef<Memberflow | null>(null);

  useEffect(() => {
    setState(IDLE);
    const current = new Memberflow({
      ...latest.current,
      openExternal: latest.current.openExternal && ((uri) => latest.current.openExternal!(uri)),
      onEvent: (event) => {
        setState((state) => nextState(state, event));
        latest.current.onEvent?.(event);
      },
    });
    flow.current = current;
    return () => {
      current.close();
      if (flow.current === current) {
        flow.current = null;
      }
    };
  }, [options.mxOrigin, options.apiBase, options.referralSource]);

  const actions = useMemo<MemberflowActions>(() => {
    const mounted = (): Memberflow => {
      if (!flow.current) {
        throw new Error("useMemberflow's actions work once the component is mounted");
      }
      return flow.current;
    };
    return {
      connect: (start) => mounted().connect(start),
      reconnect: (ask) => mounted().reconnect(ask),
      retry: () => mounted().retry(),
      resume: () => mounted().resume(),
      cancel: (ask) => mounted().cancel(ask),
      openWindow: () => mounted().openWindow(),
      refresh: () => mounted().refresh(),
      returned: (url) => mounted().returned(url),
      attach: (started) => mounted().attach(started),
    };
  }, []);

  return { ...state, ...actions };
}
