package io.memberflow.service.web;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the API treats a request: how long it may wait, and how large a body it may send. A limit of
 * zero would refuse or time out every request, so start-up refuses it instead.
 *
 * @param temporalDeadline the most a request waits on Temporal before it is answered {@code 503}
 *     (default 15s); Temporal's calls get it less a second, the pause between their retries
 *     included, so that the answer comes within it
 * @param updateWait how long a call waits for the workflow to act before answering {@code 202} with
 *     the connection as it is (default 10s)
 * @param maxBodyBytes request body limit (default 16384)
 * @param maxCodecBodyBytes request body limit of the codec endpoint, whose payloads go up to
 *     Temporal's own limits (default 4194304)
 */
@Validated
@ConfigurationProperties("memberflow.api")
public record ApiProperties(
    @DefaultValue("15s") @NotNull @DurationMin(millis = 1, message = POSITIVE)
        Duration temporalDeadline,
    @DefaultValue("10s") @NotNull @DurationMin(millis = 1, message = POSITIVE) Duration updateWait,
    @DefaultValue("16384") @Positive long maxBodyBytes,
    @DefaultValue("4194304") @Positive long maxCodecBodyBytes) {

  private static final String POSITIVE = "must be a positive duration";
}
