package io.memberflow.service.connections;

import io.memberflow.service.connections.Handled.Progress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Starts of one member that come again (a double click, a backend's retry), answered without
 * crowding Temporal, which takes only a few updates of one workflow at a time: starts that arrive
 * while an equal one is under way in this process share its call, and a start of a connection this
 * process has seen running is answered from the connection's state, without another update.
 */
final class RepeatedStarts {

  /** How many running connections this process remembers having seen; the oldest go first. */
  private static final int REMEMBERED = 10_000;

  /** A start under way, and the answer its followers share. */
  private record Shared(StartConnectionRequest request, CompletableFuture<Handled> answer) {}

  private final Map<String, Shared> underWay = new ConcurrentHashMap<>();
  private final Set<String> seenRunning =
      Collections.synchronizedSet(
          Collections.newSetFromMap(
              new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                  return size() > REMEMBERED;
                }
              }));

  /**
   * The answer to a start: shared with an equal one under way (which alone may be {@code 201}),
   * else from the connection's state when it was seen running and the state answers it, else from
   * Temporal.
   *
   * @param fromState the answer the running connection's state gives, if it gives one
   * @param started the answer of the start sent to Temporal
   */
  Handled answer(
      StartConnectionRequest request,
      Supplier<Optional<Handled>> fromState,
      Supplier<Handled> started) {
    String memberId = request.memberId();
    Shared mine = new Shared(request, new CompletableFuture<>());
    Shared first = underWay.putIfAbsent(memberId, mine);
    if (first != null) {
      return first.request().equals(request)
          ? followed(first.answer())
          : remembered(memberId, started.get());
    }
    try {
      Handled answer =
          (seenRunning.contains(memberId) ? fromState.get() : Optional.<Handled>empty())
              .orElseGet(() -> remembered(memberId, started.get()));
      mine.answer().complete(answer);
      return answer;
    } catch (RuntimeException | Error e) {
      mine.answer().completeExceptionally(e);
      throw e;
    } finally {
      underWay.remove(memberId, mine);
    }
  }

  private Handled remembered(String memberId, Handled answer) {
    if (answer.connection().state().isTerminal()) {
      seenRunning.remove(memberId);
    } else {
      seenRunning.add(memberId);
    }
    return answer;
  }

  /** The answer of the start followed: done, since that one, not this, created the connection. */
  private static Handled followed(CompletableFuture<Handled> first) {
    try {
      Handled answer = first.join();
      return answer.progress() == Progress.CREATED
          ? new Handled(answer.connection(), Progress.DONE)
          : answer;
    } catch (CompletionException e) {
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw (RuntimeException) e.getCause();
    }
  }
}
