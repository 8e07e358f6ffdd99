package io.memberflow.service.connections;

import static io.memberflow.workflows.connection.temporal.ConnectionSearchAttributes.*;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.memberflow.service.encryption.BlindIndex;
import io.memberflow.service.errors.ApiException;
import io.memberflow.service.errors.TemporalBusy;
import io.memberflow.service.security.BrowserTokens;
import io.memberflow.workflows.connection.ConnectionState;
import io.memberflow.workflows.connection.temporal.ConnectionWorkflow;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.SearchAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;

/**
 * Connections listed and counted through Temporal visibility, from the search attributes each
 * connection workflow keeps: no workflow is asked, so a listing costs the same for ten connections
 * or a million. Visibility is eventually consistent: a change shows here within moments.
 */
@Service
public class ConnectionDirectory {

  private static final Logger log = LoggerFactory.getLogger(ConnectionDirectory.class);

  /** Connections' workflows; a run that continued as new is not a connection of its own. */
  private static final String CONNECTIONS =
      "WorkflowType = '"
          + ConnectionWorkflow.class.getSimpleName()
          + "' AND ExecutionStatus != 'ContinuedAsNew'";

  /** The connection's user id, in its memo: visibility shows only its keyed hash (BlindIndex). */
  public static final String USER_ID_MEMO = ConnectionWorkflow.USER_ID_MEMO;

  private final WorkflowClient client;
  private final BrowserTokens signatures;
  private final BlindIndex index;

  public ConnectionDirectory(WorkflowClient client, BrowserTokens signatures, BlindIndex index) {
    this.signatures = signatures;
    this.client = client;
    this.index = index;
  }

  /**
   * What to list or count; null fields match everything. Values are spliced into a visibility
   * query, so callers pass only values of the API's id alphabets (no quotes).
   */
  public record Filter(ConnectionState state, String institutionCode, String userId) {

    String query(BlindIndex index) {
      StringBuilder query = new StringBuilder(CONNECTIONS);
      and(query, STATE.getName(), state == null ? null : state.name());
      and(query, INSTITUTION_CODE.getName(), institutionCode);
      and(query, USER_ID.getName(), userId == null ? null : index.userId(userId));
      return query.toString();
    }

    Filter inState(ConnectionState inState) {
      return new Filter(inState, institutionCode, userId);
    }

    private static void and(StringBuilder query, String attribute, String value) {
      if (value != null) {
        query.append(" AND ").append(attribute).append(" = '").append(value).append('\'');
      }
    }
  }

  /** One connection as visibility shows it. */
  public record ConnectionSummary(
      String connectionId,
      String userId,
      String institutionCode,
      String mxApi,
      String state,
      Long attempt,
      String lastErrorReason,
      Instant startedAt,
      Instant closedAt) {}

  /** A page of connections, newest first, and the token for the next one (null on the last). */
  public record Page(List<ConnectionSummary> connections, String nextPageToken) {}

  public Page list(Filter filter, int pageSize, String pageToken) {
    ListWorkflowExecutionsResponse response = executions(filter.query(index), pageSize, pageToken);
    List<ConnectionSummary> connections = new ArrayList<>();
    response
        .getExecutionsList()
        .forEach(
            info ->
                connections.add(
                    summary(
                        new WorkflowExecutionMetadata(
                            info, client.getOptions().getDataConverter()))));
    ByteString next = response.getNextPageToken();
    return new Page(connections, next.isEmpty() ? null : pageToken(filter.query(index), next));
  }

  /**
   * The running connection of an MX member, as its search attribute shows it; empty when none is
   * (an unknown member, or one whose connection has ended).
   *
   * @param memberGuid MX's guid; visibility holds its keyed hash, which is what is looked up
   */
  public Optional<String> runningConnectionOf(String memberGuid) {
    String query =
        CONNECTIONS
            + " AND "
            + MEMBER_GUID.getName()
            + " = '"
            + index.memberGuid(memberGuid)
            + "' AND ExecutionStatus = 'Running'";
    return executions(query, 1, null).getExecutionsList().stream()
        .map(info -> ConnectionWorkflow.connectionId(info.getExecution().getWorkflowId()))
        .findFirst();
  }

  /** How many connections are in each state (every state named, zero included). */
  public Map<ConnectionState, Long> countByState(Filter filter) {
    Map<ConnectionState, Long> counts = new EnumMap<>(ConnectionState.class);
    for (ConnectionState state : ConnectionState.values()) {
      counts.put(state, count(filter.inState(state).query(index)));
    }
    return counts;
  }

  /**
   * How many connections are in flight in each non-terminal state. A workflow that was terminated
   * by an operator keeps its last state in visibility, so only running ones count.
   */
  public Map<ConnectionState, Long> countInFlight() {
    Map<ConnectionState, Long> counts = new EnumMap<>(ConnectionState.class);
    for (ConnectionState state : ConnectionState.values()) {
      if (!state.isTerminal()) {
        counts.put(
            state,
            count(new Filter(state, null, null).query(index) + " AND ExecutionStatus = 'Running'"));
      }
    }
    return counts;
  }

  private ListWorkflowExecutionsResponse executions(String query, int pageSize, String pageToken) {
    return visibility(
        pageToken != null,
        () ->
            client
                .getWorkflowServiceStubs()
                .blockingStub()
                .listWorkflowExecutions(
                    ListWorkflowExecutionsRequest.newBuilder()
                        .setNamespace(client.getOptions().getNamespace())
                        .setQuery(query)
                        .setPageSize(pageSize)
                        .setNextPageToken(temporalToken(query, pageToken))
                        .build()));
  }

  private long count(String query) {
    return visibility(
            false,
            () ->
                client
                    .getWorkflowServiceStubs()
                    .blockingStub()
                    .countWorkflowExecutions(
                        CountWorkflowExecutionsRequest.newBuilder()
                            .setNamespace(client.getOptions().getNamespace())
                            .setQuery(query)
                            .build()))
        .getCount();
  }

  private static ConnectionSummary summary(WorkflowExecutionMetadata execution) {
    SearchAttributes shown = execution.getTypedSearchAttributes();
    String workflowId = execution.getExecution().getWorkflowId();
    String userId = execution.getMemo(USER_ID_MEMO, String.class, String.class);
    return new ConnectionSummary(
        ConnectionWorkflow.connectionId(workflowId),
        userId,
        shown.get(INSTITUTION_CODE),
        shown.get(MX_API),
        shown.get(STATE),
        shown.get(ATTEMPT),
        shown.get(LAST_ERROR_REASON),
        execution.getStartTime(),
        execution.getCloseTime());
  }

  /**
   * Temporal's page token, signed for this listing: Temporal is handed back only tokens it gave out
   * for the same query (a forged one made its visibility store fail, a 503).
   */
  private String pageToken(String query, ByteString temporal) {
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(temporal.toByteArray());
    return token + "." + signatures.sign("page:" + query + ":" + token);
  }

  /** Tokens memberflow gives out are far shorter; a longer one is not worth signing to refuse. */
  private static final int MAX_PAGE_TOKEN = 1024;

  private ByteString temporalToken(String query, String pageToken) {
    if (pageToken == null) {
      return ByteString.EMPTY;
    }
    int dot = pageToken.length() > MAX_PAGE_TOKEN ? -1 : pageToken.indexOf('.');
    String token = dot < 0 ? "" : pageToken.substring(0, dot);
    if (dot < 0
        || !signatures.signed("page:" + query + ":" + token, pageToken.substring(dot + 1))) {
      throw invalidPageToken();
    }
    return ByteString.copyFrom(Base64.getUrlDecoder().decode(token));
  }

  private static ApiException invalidPageToken() {
    return new ApiException(
        HttpStatus.BAD_REQUEST,
        "Invalid page token",
        "page_token must be the next_page_token of an earlier page of the same listing");
  }

  /**
   * A visibility call, with the server's refusals turned into answers a caller can act on. The Java
   * test server has no visibility at all: that is a 501, not an error of ours. A real server limits
   * visibility calls per namespace (10 a second per frontend by default) and a count by state is
   * one call per state, so a refusal for that limit is waited out while the request's deadline
   * allows.
   */
  private <T> T visibility(boolean pageTokenGiven, Supplier<T> call) {
    try {
      return TemporalBusy.waitedOut(call);
    } catch (StatusRuntimeException e) {
      throw refusal(e, e.getStatus().getCode(), pageTokenGiven);
    }
  }

  private RuntimeException refusal(
      StatusRuntimeException e, Status.Code code, boolean pageTokenGiven) {
    if (code == Status.Code.UNIMPLEMENTED) {
      return new VisibilityUnavailable();
    }
    if (code == Status.Code.RESOURCE_EXHAUSTED) {
      return new TemporalBusy();
    }
    if (code == Status.Code.INVALID_ARGUMENT && pageTokenGiven) {
      return invalidPageToken();
    }
    log.warn("Temporal visibility refused a query", e);
    return new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        "Visibility unavailable",
        "Temporal visibility could not answer ("
            + code
            + "); if this persists, check that memberflow's search attributes are registered on"
            + " namespace "
            + client.getOptions().getNamespace());
  }

  /** The Temporal server this service uses cannot list or count workflows. */
  public static final class VisibilityUnavailable extends ApiException {
    VisibilityUnavailable() {
      super(
          HttpStatus.NOT_IMPLEMENTED,
          "Listing not available",
          "listing and counting connections needs Temporal visibility, which this Temporal server"
              + " does not have (Temporal's Java test server); run the Temporal CLI dev server"
              + " (scripts/install-temporal-cli) or a Temporal cluster");
    }
  }
}
