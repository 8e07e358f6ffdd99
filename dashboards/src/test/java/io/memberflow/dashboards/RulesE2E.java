package io.memberflow.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rules and configuration as Debian's promtool and amtool see them: valid, and every alert
 * proven to fire when it should and stay silent when it should not (prometheus/rules.test.yml).
 */
class RulesE2E {

  private static String run(String... command) throws IOException, InterruptedException {
    Path program = Path.of(command[0]);
    if (!Files.isExecutable(program)) {
      throw new IllegalStateException(
          program
              + " is missing: install Debian's prometheus and"
              + " prometheus-alertmanager (.ci/run does)");
    }
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(String.join(" ", command) + "\n" + output).isZero();
    return output;
  }

  @Test
  void rulesAreValid() throws Exception {
    assertThat(run("/usr/bin/promtool", "check", "rules", "prometheus/rules.yml"))
        .contains("SUCCESS: 15 rules found");
  }

  @Test
  void everyAlertFiresAndStaysSilentWhenItShould() throws Exception {
    String tests = Files.readString(Path.of("prometheus/rules.test.yml"));
    String rules = Files.readString(Path.of("prometheus/rules.yml"));
    List<String> alerts =
        rules
            .lines()
            .filter(l -> l.trim().startsWith("- alert: "))
            .map(l -> l.trim().substring(9))
            .toList();
    for (String alert : alerts) {
      assertThat(tests)
          .as("a firing test for " + alert)
          .containsPattern("alertname: " + alert + "\\n\\s+exp_alerts:\\n\\s+- exp_labels");
      assertThat(tests)
          .as("a silent test for " + alert)
          .contains("alertname: " + alert + "\n        exp_alerts: []");
    }
    assertThat(run("/usr/bin/promtool", "test", "rules", "prometheus/rules.test.yml"))
        .contains("SUCCESS");
  }

  @Test
  void prometheusAndAlertmanagerConfigurationsAreValid() throws Exception {
    assertThat(run("/usr/bin/promtool", "check", "config", "prometheus/prometheus.yml"))
        .contains("SUCCESS");
    assertThat(run("/usr/bin/amtool", "check-config", "alertmanager/alertmanager.yml"))
        .contains("SUCCESS");
  }
}
