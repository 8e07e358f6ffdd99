package io.memberflow.workflows.connection;

import io.memberflow.workflows.connection.Effect.Aggregate;
import io.memberflow.workflows.connection.Effect.Alert;
import io.memberflow.workflows.connection.Effect.CheckMember;
import io.memberflow.workflows.connection.Effect.CreateMember;
import io.memberflow.workflows.connection.Effect.DeleteMember;
import io.memberflow.workflows.connection.Effect.EnsureUser;
import io.memberflow.workflows.connection.Effect.FetchWindow;
import io.memberflow.workflows.connection.Effect.Notify;
import io.memberflow.workflows.connection.Effect.OpenMember;
import io.memberflow.workflows.connection.Effect.ReadMember;
import io.memberflow.workflows.mx.MemberToOpen;
import io.memberflow.workflows.mx.NewOAuthMember;
import io.memberflow.workflows.mx.OAuthWindowRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * What a connection has decided to ask of its shell since its last reaction, each effect made from
 * what the connection knows when it decides.
 */
final class Outbox {

  private final ConnectionData data;
  private final ConnectionEnvironment env;
  private final List<Effect> effects = new ArrayList<>();

  Outbox(ConnectionData data, ConnectionEnvironment env) {
    this.data = data;
    this.env = env;
  }

  void openMember() {
    ConnectionRequest request = data.request;
    effects.add(
        new OpenMember(
            new MemberToOpen(
                request.userId(),
                request.memberId(),
                request.institutionCode(),
                request.windowOptions())));
  }

  void ensureUser() {
    effects.add(new EnsureUser(data.request.userId()));
  }

  void createMember() {
    ConnectionRequest request = data.request;
    effects.add(
        new CreateMember(
            new NewOAuthMember(
                data.userGuid,
                request.memberId(),
                request.institutionCode(),
                request.windowOptions())));
  }

  void fetchWindow() {
    effects.add(
        new FetchWindow(
            new OAuthWindowRequest(
                data.userGuid, data.memberGuid, data.request.windowOptions(), data.attempt)));
  }

  void readMember(boolean patient) {
    effects.add(new ReadMember(data.userGuid, data.memberToRead(), patient));
  }

  void checkMember(String memberGuid) {
    effects.add(new CheckMember(data.userGuid, memberGuid));
  }

  void aggregate() {
    effects.add(new Aggregate(data.userGuid, data.memberGuid));
  }

  void deleteMember() {
    effects.add(new DeleteMember(data.userGuid, data.memberGuid));
  }

  void notify(NotificationType type) {
    effects.add(new Notify(data.notice(type, "msg_" + env.newId(), env.now())));
  }

  void alertOperators() {
    effects.add(new Alert(data.alert(env.now())));
  }

  void alertProviderTrouble() {
    effects.add(new Alert(data.providerAlert(env.now())));
  }

  /** The effects gathered, in order; the outbox is empty after. */
  List<Effect> drain() {
    List<Effect> drained = List.copyOf(effects);
    effects.clear();
    return drained;
  }
}
