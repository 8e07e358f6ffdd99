package io.memberflow.workflows.notifications;

import io.memberflow.workflows.connection.ConnectionNotification;
import io.temporal.activity.ActivityInterface;

/**
 * Tells the integrator's backend about user-facing outcomes. Delivery is an activity so that
 * Temporal's retries make it durable; the notification's id stays the same across retries so
 * receivers can drop duplicates.
 */
@ActivityInterface
public interface ConnectionNotifier {
  void deliver(ConnectionNotification notification);
}
