package io.memberflow.dev;

import io.memberflow.service.MemberflowApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Import;

/**
 * The service with its development setup around it (profile {@code embedded}, the default):
 * Temporal, the MX sandbox and the demo page, all on this machine. Run with {@code ./mvnw -pl dev
 * -am spring-boot:run}; the production artefact is the service module's and has none of this.
 */
@SpringBootConfiguration
@Import(MemberflowApplication.class)
@ComponentScan
@ConfigurationPropertiesScan
public class DevApplication {

  public static void main(String[] args) {
    SpringApplication.run(DevApplication.class, args);
  }
}
