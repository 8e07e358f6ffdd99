package io.memberflow.workflows.connection.temporal;

import io.memberflow.workflows.connection.ConnectionNotification;
import io.memberflow.workflows.connection.OperatorAlert;
import io.memberflow.workflows.notifications.ConnectionNotifier;
import io.memberflow.workflows.notifications.OperatorAlerter;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * A connection's webhooks and operator alerts. Each goes out at once, beside whatever the
 * connection does next, with a day of retries; the connection ends only once all are out, since
 * they outlive the outcome they report. Made in the workflow's thread. Webhooks go out only where
 * the deployment has receivers: an activity that sends nothing would still cost a round trip.
 */
final class Deliveries {

  private static final Logger log = Workflow.getLogger(Deliveries.class);

  private final ConnectionNotifier notifier =
      Workflow.newActivityStub(ConnectionNotifier.class, ActivityRetries.DELIVERIES);
  private final OperatorAlerter alerter =
      Workflow.newActivityStub(OperatorAlerter.class, ActivityRetries.DELIVERIES);
  private final List<Promise<Void>> underway = new ArrayList<>();
  private final boolean webhooks;

  Deliveries(boolean webhooks) {
    this.webhooks = webhooks;
  }

  void notify(ConnectionNotification notification) {
    if (webhooks) {
      underway.add(Async.procedure(notifier::deliver, notification));
    }
  }

  void alert(OperatorAlert alert) {
    underway.add(Async.procedure(alerter::raise, alert));
  }

  /** Whether every delivery is out, or has spent its retries. */
  boolean allOut() {
    return underway.stream().allMatch(Promise::isCompleted);
  }

  void awaitAll() {
    for (Promise<Void> delivery : underway) {
      try {
        delivery.get();
      } catch (ActivityFailure failure) {
        log.error("A notification could not be delivered within its retry budget", failure);
      }
    }
  }
}
