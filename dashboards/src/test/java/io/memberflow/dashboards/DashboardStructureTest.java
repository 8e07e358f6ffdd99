package io.memberflow.dashboards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What Grafana needs from each dashboard, and what keeps them usable with any Prometheus. */
class DashboardStructureTest {

  static final Path DASHBOARDS = Path.of("grafana", "dashboards");

  static List<Path> dashboards() throws IOException {
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  private static JsonNode read(Path dashboard) throws IOException {
    return new ObjectMapper().readTree(dashboard.toFile());
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void panelIdsAreUnique(Path dashboard) throws IOException {
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : read(dashboard).path("panels")) {
      assertThat(ids.add(panel.path("id").asInt(-1))).as("panel id %s", panel.path("id")).isTrue();
    }
    assertThat(ids).isNotEmpty().doesNotContain(-1);
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void everyPanelHasAQueryAndEveryQueryItsDataSource(Path dashboard) throws IOException {
    for (JsonNode panel : read(dashboard).path("panels")) {
      String title = panel.path("title").asText();
      assertThat(panel.path("targets")).as(title).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        assertThat(target.path("expr").asText()).as(title).isNotBlank();
        assertThat(target.path("datasource").path("uid").asText())
            .as(title)
            .isEqualTo("${datasource}");
        assertThat(target.path("datasource").path("type").asText())
            .as(title)
            .isEqualTo("prometheus");
      }
    }
  }

  @ParameterizedTest
  @MethodSource("dashboards")
  void theDataSourceIsAVariable(Path dashboard) throws IOException {
    JsonNode dashboardJson = read(dashboard);
    assertThat(dashboardJson.path("uid").asText()).isNotBlank();
    assertThat(dashboardJson.path("templating").path("list"))
        .anySatisfy(
            v -> {
              assertThat(v.path("name").asText()).isEqualTo("datasource");
              assertThat(v.path("type").asText()).isEqualTo("datasource");
              assertThat(v.path("query").asText()).isEqualTo("prometheus");
            });
  }
}
