package io.memberflow.dev.durability;

import io.memberflow.dev.stack.LocalStack;
import io.memberflow.dev.stack.TemporalServer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;

/**
 * A test that drives a crowd of connections on a stack of its own: a Temporal server and the MX
 * sandbox are up before each test; the service instances are the test's to start and kill.
 */
abstract class CrowdTest {

  protected final ExecutorService pool = Executors.newFixedThreadPool(16);
  protected LocalStack stack;
  protected TemporalServer temporal;
  protected Flows flows;
  protected Crowd crowd;

  @BeforeEach
  void startStack(TestInfo test) throws Exception {
    stack = new LocalStack(test.getTestMethod().orElseThrow().getName());
    temporal = stack.startTemporal();
    stack.startSandbox();
    flows = new Flows(stack.sandboxUrl());
    crowd = new Crowd(pool, flows);
  }

  @AfterEach
  void stopStack() {
    pool.shutdownNow();
    if (stack != null) {
      stack.close();
    }
  }
}
