package io.memberflow.dev.embedded;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the embedded Temporal server before the application context is built, beside it: the dev
 * server takes about two seconds to serve, which the context's own start-up can use instead of
 * waiting for it. The server's bean takes it over ({@link Starting#take}); a context that fails
 * before then leaves it to the JVM's shutdown, which stops it. Registered in {@code
 * META-INF/spring.factories}, so every context of the development setup gets it.
 */
public class EarlyTemporalStart
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  static final String BEAN = "embeddedTemporalStarting";

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    EmbeddedProperties properties =
        Binder.get(context.getEnvironment())
            .bind("memberflow.embedded", EmbeddedProperties.class)
            .orElse(null);
    if (properties == null || !properties.temporal().enabled()) {
      return;
    }
    Starting starting =
        new Starting(
            CompletableFuture.supplyAsync(() -> EmbeddedServices.startTemporal(properties)));
    Runtime.getRuntime()
        .addShutdownHook(new Thread(starting::closeUntaken, "embedded-temporal-leftover"));
    context.getBeanFactory().registerSingleton(BEAN, starting);
  }

  /** The server on its way up, until its bean takes it. */
  public static final class Starting {

    private final CompletableFuture<EmbeddedTemporal> server;
    private volatile boolean taken;

    Starting(CompletableFuture<EmbeddedTemporal> server) {
      this.server = server;
    }

    /** The server once it serves; it belongs to the caller from now on. */
    EmbeddedTemporal take() {
      taken = true;
      try {
        return server.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException cause ? cause : e;
      }
    }

    private void closeUntaken() {
      if (!taken) {
        try {
          server.join().close();
        } catch (CompletionException notStarted) {
          // nothing to stop
        }
      }
    }
  }
}
