package io.memberflow.workflows.connection.temporal;

import io.memberflow.workflows.connection.ConnectionNotification;
import io.memberflow.workflows.connection.NotificationType;
import io.memberflow.workflows.connection.OperatorAlert;
import io.memberflow.workflows.notifications.ConnectionNotifier;
import io.memberflow.workflows.notifications.OperatorAlerter;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records what the workflow delivered; can fail the first deliveries to exercise retries. */
class RecordingNotifier implements ConnectionNotifier, OperatorAlerter {

  final List<ConnectionNotification> attempts = new CopyOnWriteArrayList<>();
  final List<ConnectionNotification> delivered = new CopyOnWriteArrayList<>();
  final List<OperatorAlert> alerts = new CopyOnWriteArrayList<>();
  final AtomicInteger failuresToInject = new AtomicInteger();

  @Override
  public void deliver(ConnectionNotification notification) {
    attempts.add(notification);
    if (failuresToInject.getAndDecrement() > 0) {
      throw ApplicationFailure.newFailure("receiver answered 503", "WebhookDeliveryFailed");
    }
    delivered.add(notification);
  }

  @Override
  public void raise(OperatorAlert alert) {
    alerts.add(alert);
  }

  List<NotificationType> deliveredTypes() {
    return delivered.stream().map(ConnectionNotification::type).toList();
  }
}
