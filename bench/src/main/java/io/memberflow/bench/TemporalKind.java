package io.memberflow.bench;

/** The Temporal server a run is measured on, each as its own process. */
enum TemporalKind {
  /**
   * The Temporal CLI's dev server on a SQLite file: a real server, as the embedded default runs it.
   */
  DEV("dev server"),
  /** Temporal's Java test server: in memory, the zero-install fallback. */
  JAVA("Java test server");

  final String label;

  TemporalKind(String label) {
    this.label = label;
  }
}
