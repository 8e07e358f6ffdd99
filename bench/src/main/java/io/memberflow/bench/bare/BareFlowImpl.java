package io.memberflow.bench.bare;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;

public class BareFlowImpl implements BareFlow {

  private final BareMx mx =
      Workflow.newActivityStub(
          BareMx.class,
          ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());
  private String userGuid;
  private BareWindow window;
  private String status;

  @Override
  public String run(BareStart start) {
    userGuid = mx.createUser(start.userId());
    String memberGuid = mx.createMember(userGuid, start.memberId(), start.institutionCode());
    window = new BareWindow(memberGuid, mx.oauthWindowUri(userGuid, memberGuid));
    Workflow.await(() -> status != null);
    return status;
  }

  @Override
  public BareWindow window() {
    Workflow.await(() -> window != null);
    return window;
  }

  @Override
  public String complete(String message) {
    Workflow.await(() -> window != null);
    status = mx.connectionStatus(userGuid, window.memberGuid());
    return status;
  }
}
