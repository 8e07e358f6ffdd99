package io.memberflow.api.worker;

import io.temporal.spring.boot.WorkerOptionsCustomizer;
import jakarta.annotation.Nonnull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Worker options that the Temporal starter has no property for. */
@Configuration(proxyBeanMethods = false)
public class WorkerTuning {

  /**
   * @param stickyScheduleToStartTimeout how long a workflow task waits for the worker that has
   *     the workflow cached before any worker may take it (Temporal's default, 5s). 0 turns sticky
   *     execution off: needed against Temporal's Java test server as a standalone cluster, which
   *     never times sticky tasks out, so a crashed worker's connections would stall there
   */
  @ConfigurationProperties("memberflow.worker")
  public record WorkerProperties(@DefaultValue("5s") Duration stickyScheduleToStartTimeout) {}

  @Bean
  WorkerOptionsCustomizer stickyExecution(WorkerProperties properties) {
    return new WorkerOptionsCustomizer() {
      @Nonnull
      @Override
      public io.temporal.worker.WorkerOptions.Builder customize(
          @Nonnull io.temporal.worker.WorkerOptions.Builder options,
          @Nonnull String workerName,
          @Nonnull String taskQueue) {
        return options.setStickyQueueScheduleToStartTimeout(
            properties.stickyScheduleToStartTimeout());
      }
    };
  }
}
