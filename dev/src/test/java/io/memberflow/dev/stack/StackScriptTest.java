package io.memberflow.dev.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.memberflow.workflows.connection.temporal.ConnectionSearchAttributes;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The operator's step in scripts/temporal-postgres/stack registers what the workflows set. */
class StackScriptTest {

  @Test
  void theStackRegistersEverySearchAttributeTheWorkflowsSet() throws Exception {
    Matcher list =
        Pattern.compile("SEARCH_ATTRIBUTES=\"([^\"]*)\"")
            .matcher(Files.readString(PostgresCluster.SCRIPT));
    assertThat(list.find()).isTrue();
    Set<String> registered =
        Arrays.stream(list.group(1).trim().split("\\s+")).collect(Collectors.toSet());

    Set<String> set =
        ConnectionSearchAttributes.ALL.stream()
            .map(
                key ->
                    key.getName()
                        + "="
                        + switch (key.getValueType()) {
                          case INDEXED_VALUE_TYPE_KEYWORD -> "Keyword";
                          case INDEXED_VALUE_TYPE_INT -> "Int";
                          default -> key.getValueType().name();
                        })
            .collect(Collectors.toSet());
    assertThat(registered).isEqualTo(set);
  }
}
