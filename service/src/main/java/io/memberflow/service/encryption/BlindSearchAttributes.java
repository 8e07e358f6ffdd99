package io.memberflow.service.encryption;

import io.memberflow.workflows.connection.temporal.ConnectionSearchAttributes;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import java.util.Arrays;
import org.springframework.stereotype.Component;

/**
 * The member guid a workflow shows in visibility leaves the worker as its {@link BlindIndex} hash.
 * The workflow keeps setting the guid it knows (its code holds no key); the hash is made here, on
 * the way to Temporal, the same on every replay.
 */
@Component
public class BlindSearchAttributes extends WorkerInterceptorBase {

  private final BlindIndex index;

  public BlindSearchAttributes(BlindIndex index) {
    this.index = index;
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public void init(WorkflowOutboundCallsInterceptor outbound) {
        super.init(new Blinding(outbound));
      }
    };
  }

  private final class Blinding extends WorkflowOutboundCallsInterceptorBase {
    Blinding(WorkflowOutboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public void upsertTypedSearchAttributes(SearchAttributeUpdate<?>... updates) {
      super.upsertTypedSearchAttributes(
          Arrays.stream(updates)
              .map(BlindSearchAttributes.this::blinded)
              .toArray(SearchAttributeUpdate<?>[]::new));
    }
  }

  private SearchAttributeUpdate<?> blinded(SearchAttributeUpdate<?> update) {
    if (update.getKey().equals(ConnectionSearchAttributes.MEMBER_GUID)
        && update.getValue().isPresent()) {
      return ConnectionSearchAttributes.MEMBER_GUID.valueSet(
          index.memberGuid((String) update.getValue().get()));
    }
    return update;
  }
}
