package io.memberflow.activities.mx;

import io.memberflow.workflows.mx.MemberStatus;
import io.memberflow.workflows.mx.MemberToOpen;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.MxGateway;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxUser;
import io.memberflow.workflows.mx.NewOAuthMember;
import io.memberflow.workflows.mx.OAuthWindowRequest;
import io.memberflow.workflows.mx.OpenedMember;
import io.temporal.failure.ApplicationFailure;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** The activity the workers register: hands each call to the client of the connection's API. */
public final class MxGatewayRouter implements MxGateway {

  private final Map<MxApi, MxClient> clients;

  public MxGatewayRouter(Map<MxApi, MxClient> clients) {
    this.clients = clients.isEmpty() ? Map.of() : new EnumMap<>(clients);
  }

  /** The APIs this worker has credentials for. */
  public Set<MxApi> configured() {
    return clients.keySet();
  }

  @Override
  public OpenedMember openOAuthMember(MemberToOpen member, MxApi api) {
    return client(api).openOAuthMember(member);
  }

  @Override
  public MxUser ensureUser(String userId, MxApi api) {
    return client(api).ensureUser(userId);
  }

  @Override
  public MxMember createOAuthMember(NewOAuthMember member, MxApi api) {
    return client(api).createOAuthMember(member);
  }

  @Override
  public String requestOAuthWindowUri(OAuthWindowRequest request, MxApi api) {
    return client(api).requestOAuthWindowUri(request);
  }

  @Override
  public MemberStatus readMemberStatus(String userGuid, String memberGuid, MxApi api) {
    return client(api).readMemberStatus(userGuid, memberGuid);
  }

  @Override
  public MxMember readMember(String userGuid, String memberGuid, MxApi api) {
    return client(api).readMember(userGuid, memberGuid);
  }

  @Override
  public void aggregateMember(String userGuid, String memberGuid, MxApi api) {
    client(api).aggregateMember(userGuid, memberGuid);
  }

  @Override
  public void deleteMember(String userGuid, String memberGuid, MxApi api) {
    client(api).deleteMember(userGuid, memberGuid);
  }

  private MxClient client(MxApi api) {
    MxClient client = clients.get(api);
    if (client == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "this worker has no credentials for the " + api + " API", MxGateway.REJECTED);
    }
    return client;
  }
}
