package io.memberflow.service.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.memberflow.workflows.connection.ErrorReason;
import io.memberflow.workflows.connection.OutcomeAction;
import io.memberflow.workflows.connection.OutcomePolicy;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The outcome policy as operators configure it. */
class PolicyPropertiesTest {

  private static OutcomePolicy bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("memberflow.policy", PolicyProperties.class)
        .toPolicy();
  }

  @Test
  void defaultsAreTheDesignsBranchTable() {
    OutcomePolicy policy = bind(Map.of());

    assertThat(policy).isEqualTo(OutcomePolicy.defaults());
    assertThat(policy.actionFor(ErrorReason.CANCELLED))
        .isEqualTo(OutcomeAction.RETRY_WITH_FRESH_URI);
    assertThat(policy.actionFor(ErrorReason.IMPEDED))
        .isEqualTo(OutcomeAction.NOTIFY_AND_AWAIT_RESUME);
    assertThat(policy.actionFor(ErrorReason.SERVER_ERROR))
        .isEqualTo(OutcomeAction.ALERT_AND_AWAIT_RETRY);
  }

  @Test
  void actionsLimitsAndWindowsAreConfigurable() {
    OutcomePolicy policy =
        bind(
            Map.of(
                "memberflow.policy.actions.DENIED", "RETRY_WITH_FRESH_URI",
                "memberflow.policy.max-attempts", "3",
                "memberflow.policy.oauth-timeout", "15m",
                "memberflow.policy.resume-window", "2d",
                "memberflow.policy.retry-window", "30m"));

    assertThat(policy.actionFor(ErrorReason.DENIED)).isEqualTo(OutcomeAction.RETRY_WITH_FRESH_URI);
    assertThat(policy.actionFor(ErrorReason.IMPEDED))
        .isEqualTo(OutcomeAction.NOTIFY_AND_AWAIT_RESUME);
    assertThat(policy.maxAttempts()).isEqualTo(3);
    assertThat(policy.oauthTimeout()).isEqualTo(Duration.ofMinutes(15));
    assertThat(policy.resumeWindow()).isEqualTo(Duration.ofDays(2));
    assertThat(policy.retryWindow()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void aPolicyThatCannotWorkIsRefused() {
    assertThatThrownBy(() -> bind(Map.of("memberflow.policy.oauth-timeout", "0s")))
        .rootCause()
        .hasMessageContaining("oauthTimeout must be a positive duration");
    assertThatThrownBy(() -> bind(Map.of("memberflow.policy.actions.DENIED", "SHRUG")))
        .hasMessageContaining("memberflow.policy.actions");
  }
}
