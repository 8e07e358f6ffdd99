package io.memberflow.service.encryption;

import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Temporal client and workers of this service encrypt every payload ({@link
 * PayloadEncryption}).
 */
@Configuration(proxyBeanMethods = false)
public class TemporalEncryption {

  /**
   * The name the Temporal Spring Boot starter takes its data converter by. Failure messages and
   * stack traces are encrypted too: an MX error can name a user's or member's guid.
   */
  @Bean
  DataConverter mainDataConverter(PayloadEncryption encryption) {
    return new CodecDataConverter(
        DefaultDataConverter.newDefaultInstance(), List.of(encryption), true);
  }
}
