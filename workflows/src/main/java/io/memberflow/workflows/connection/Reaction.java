package io.memberflow.workflows.connection;

import java.time.Instant;
import java.util.List;

/**
 * What a connection does about one input: the effects to carry out, in order, then what it waits
 * for and until when ({@code until} null: for nothing in particular).
 */
public record Reaction(List<Effect> effects, Wait then, Instant until) {

  public Reaction {
    effects = List.copyOf(effects);
  }
}
