package io.memberflow.service.worker;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.memberflow.workflows.connection.temporal.ConnectionSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * Registers the connection search attributes on the namespace at start-up, before any connection
 * can start: a workflow that sets an unregistered attribute fails its workflow task. For servers
 * this service runs itself (the embedded setup); on a cluster an operator registers them once (see
 * docs/configuration.md), and Temporal Cloud does not let workers register them at all.
 */
@Component
@ConditionalOnProperty(
    name = "memberflow.temporal.register-search-attributes",
    havingValue = "true")
public class SearchAttributeRegistration {

  private static final Logger log = LoggerFactory.getLogger(SearchAttributeRegistration.class);

  public SearchAttributeRegistration(WorkflowClient client) {
    String namespace = client.getOptions().getNamespace();
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder(client.getWorkflowServiceStubs().getOptions())
                .validateAndBuildWithDefaults());
    try {
      Map<String, IndexedValueType> existing = registered(operator, namespace);
      Map<String, IndexedValueType> missing = new TreeMap<>();
      ConnectionSearchAttributes.ALL.stream()
          .filter(key -> !existing.containsKey(key.getName()))
          .forEach(key -> missing.put(key.getName(), key.getValueType()));
      if (!missing.isEmpty()) {
        operator
            .blockingStub()
            .addSearchAttributes(
                AddSearchAttributesRequest.newBuilder()
                    .setNamespace(namespace)
                    .putAllSearchAttributes(missing)
                    .build());
        log.info("Registered search attributes {} on namespace {}", missing.keySet(), namespace);
      }
    } finally {
      operator.shutdownNow();
    }
  }

  /** Temporal's Java test server cannot list them; a fresh one has none. */
  private static Map<String, IndexedValueType> registered(
      OperatorServiceStubs operator, String namespace) {
    try {
      return operator
          .blockingStub()
          .listSearchAttributes(
              ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
          .getCustomAttributesMap();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        return Map.of();
      }
      throw e;
    }
  }
}
