package io.memberflow.dev.embedded;

/** The Temporal server the embedded setup runs for the service. */
public interface EmbeddedTemporal extends AutoCloseable {

  /** Whether connections outlive a restart of the service. */
  boolean durable();

  @Override
  void close();
}
