package io.memberflow.service.worker;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.memberflow.workflows.connection.temporal.ConnectionSearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.common.SearchAttributeKey;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Makes sure at start-up, before any connection can start, that the namespace has what connection
 * workflows need: a workflow that sets an unregistered search attribute fails its workflow task,
 * again and again. For servers this service runs itself (the embedded setup) it registers the
 * attributes; on a cluster the operator creates the namespace and registers them (see
 * docs/deployment.md; Temporal Cloud does not let workers register them at all), and a missing one
 * stops the start with a message that names it and the command that adds it.
 */
@Component
public class NamespaceCheck {

  private static final Logger log = LoggerFactory.getLogger(NamespaceCheck.class);

  public NamespaceCheck(WorkflowClient client, TemporalProperties properties) {
    String namespace = client.getOptions().getNamespace();
    String target = client.getWorkflowServiceStubs().getOptions().getTarget();
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder(client.getWorkflowServiceStubs().getOptions())
                .validateAndBuildWithDefaults());
    try {
      if (!properties.registerSearchAttributes()) {
        requireNamespace(client, namespace, target);
      }
      Map<String, IndexedValueType> missing = missing(operator, namespace);
      if (missing.isEmpty()) {
        return;
      }
      if (!properties.registerSearchAttributes()) {
        throw new IllegalStateException(
            "Temporal namespace '"
                + namespace
                + "' at "
                + target
                + " lacks the search attributes connection workflows set: "
                + missing.entrySet().stream()
                    .map(e -> e.getKey() + " (" + typeName(e.getValue()) + ")")
                    .collect(Collectors.joining(", "))
                + ". An operator registers them once: "
                + missing.entrySet().stream()
                    .map(
                        e ->
                            "temporal operator search-attribute create --namespace "
                                + namespace
                                + " --name "
                                + e.getKey()
                                + " --type "
                                + typeName(e.getValue()))
                    .collect(Collectors.joining("; ")));
      }
      operator
          .blockingStub()
          .addSearchAttributes(
              AddSearchAttributesRequest.newBuilder()
                  .setNamespace(namespace)
                  .putAllSearchAttributes(missing)
                  .build());
      log.info("Registered search attributes {} on namespace {}", missing.keySet(), namespace);
    } finally {
      operator.shutdownNow();
    }
  }

  private static Map<String, IndexedValueType> missing(
      OperatorServiceStubs operator, String namespace) {
    Map<String, IndexedValueType> registered = registered(operator, namespace);
    Map<String, IndexedValueType> missing = new TreeMap<>();
    for (SearchAttributeKey<?> key : ConnectionSearchAttributes.ALL) {
      if (!registered.containsKey(key.getName())) {
        missing.put(key.getName(), key.getValueType());
      }
    }
    return missing;
  }

  /** The lookup workers and clients make: a namespace they would not find stops the start. */
  private static void requireNamespace(WorkflowClient client, String namespace, String target) {
    try {
      client
          .getWorkflowServiceStubs()
          .blockingStub()
          .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw new IllegalStateException(
            "Temporal namespace '"
                + namespace
                + "' does not exist at "
                + target
                + ". An operator creates it once: temporal operator namespace create --namespace "
                + namespace
                + " --retention 72h (then registers memberflow's search attributes, see"
                + " docs/deployment.md)",
            e);
      }
      throw e;
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

  /** The name the CLI's --type takes: Keyword, Int, ... */
  private static String typeName(IndexedValueType type) {
    String name = type.name().substring("INDEXED_VALUE_TYPE_".length());
    return name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT);
  }
}
