package io.memberflow.bench;

/** The Temporal server a run is measured on, each as its own process. */
enum TemporalKind {
  /**
   * The Temporal CLI's dev server on a SQLite file: a real server, as the embedded default runs it.
   */
  DEV("dev server"),
  /** Temporal's Java test server: in memory, the zero-install fallback. */
  JAVA("Java test server"),
  /**
   * The Temporal server as two nodes on PostgreSQL (scripts/temporal-postgres/stack), a namespace
   * of the run's own: the production shape.
   */
  POSTGRES("two-node PostgreSQL");

  final String label;

  TemporalKind(String label) {
    this.label = label;
  }
}
