package io.memberflow.bench.bare;

import io.temporal.activity.ActivityInterface;

/** The four MX calls of a successful connection, as memberflow makes them on the Platform API. */
@ActivityInterface
public interface BareMx {

  String createUser(String userId);

  String createMember(String userGuid, String memberId, String institutionCode);

  String oauthWindowUri(String userGuid, String memberGuid);

  String connectionStatus(String userGuid, String memberGuid);
}
