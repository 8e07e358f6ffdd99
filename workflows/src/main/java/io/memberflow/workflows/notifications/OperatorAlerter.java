package io.memberflow.workflows.notifications;

import io.memberflow.workflows.connection.OperatorAlert;
import io.temporal.activity.ActivityInterface;

/** Raises an alert for operators when an institution or MX itself is failing. */
@ActivityInterface
public interface OperatorAlerter {
  void raise(OperatorAlert alert);
}
