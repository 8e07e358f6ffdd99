package io.memberflow.sandbox;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the sandbox's state in a file, as MX keeps its users and members: a restarted sandbox still
 * knows the members of connections that waited across the restart. Changes are written shortly
 * after they happen (a burst of them once), and on close; a file is replaced whole, never left
 * half-written.
 */
final class SandboxStore implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SandboxStore.class);
  private static final long WRITE_DELAY_MS = 200;
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Path file;
  private final ScheduledExecutorService writer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread thread = new Thread(r, "mx-sandbox-store");
            thread.setDaemon(true);
            return thread;
          });
  private final AtomicBoolean writePending = new AtomicBoolean();
  private SandboxState state;

  SandboxStore(Path file) {
    this.file = file;
  }

  /** The state, with what the file holds from an earlier run. */
  SandboxState open(List<Institution> institutions) {
    state = new SandboxState(this::changed);
    if (Files.exists(file)) {
      try {
        state.restore(JSON.readValue(file.toFile(), SandboxState.Snapshot.class), institutions);
        log.info("MX sandbox state taken back from {}", file);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read the sandbox's state from " + file + "; delete it to start afresh", e);
      }
    }
    return state;
  }

  private void changed() {
    if (writePending.compareAndSet(false, true) && !writer.isShutdown()) {
      writer.schedule(this::write, WRITE_DELAY_MS, TimeUnit.MILLISECONDS);
    }
  }

  /** One writer at a time: the scheduled one and the last one at close share the next file. */
  private synchronized void write() {
    writePending.set(false);
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path next = file.resolveSibling(file.getFileName() + ".next");
      JSON.writeValue(next.toFile(), state.snapshot());
      Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      log.error("Could not keep the sandbox's state in {}", file, e);
    }
  }

  /** Called once the sandbox takes no more requests, so the last write holds every change. */
  @Override
  public void close() {
    writer.shutdownNow();
    write();
  }
}
