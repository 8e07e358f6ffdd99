package io.memberflow.activities.mx;

import io.memberflow.workflows.mx.MemberStatus;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxUser;
import io.memberflow.workflows.mx.NewOAuthMember;
import io.memberflow.workflows.mx.OAuthWindowRequest;

/**
 * One MX API flavour. Each maps its own paths, headers and field names to the same value types
 * and, through {@link MxHttp}, the same failures, so the workflow cannot tell them apart.
 */
public interface MxClient {

  /** Creates the user with the client's id, or finds the existing one (MX answered 409). */
  MxUser ensureUser(String userId);

  /** Creates the OAuth member with the client's id, or finds the existing one (409). */
  MxMember createOAuthMember(NewOAuthMember member);

  String requestOAuthWindowUri(OAuthWindowRequest request);

  MemberStatus readMemberStatus(String userGuid, String memberGuid);
}
