package io.memberflow.workflows.connection.temporal;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** An in-memory MX for workflow tests; the real client is tested against the sandbox. */
class FakeMx implements MxGateway {

  static final String INSTITUTION_WITHOUT_OAUTH = "no_oauth_bank";

  final Map<String, MxMember> members = new ConcurrentHashMap<>();
  final List<NewOAuthMember> memberCreations = new CopyOnWriteArrayList<>();
  final List<OAuthWindowRequest> windowRequests = new CopyOnWriteArrayList<>();

  /** The API named by every call, in order. */
  final List<MxApi> apis = new CopyOnWriteArrayList<>();

  /** MX's connection_status per member guid; PENDING until the user completes the OAuth. */
  final Map<String, String> statuses = new ConcurrentHashMap<>();

  /** How many more reads answer PENDING for a member MX has connected: MX lagging behind. */
  final AtomicInteger lag = new AtomicInteger();

  final List<String> statusReads = new CopyOnWriteArrayList<>();

  /** Status reads take a while, so that other requests arrive meanwhile. */
  volatile boolean slowReads;

  /** Reads of a connected member that still find MX aggregating; then its data is there. */
  final AtomicInteger aggregatingReads = new AtomicInteger(1);

  final List<String> aggregations = new CopyOnWriteArrayList<>();
  final List<String> deletions = new CopyOnWriteArrayList<>();

  /** MX's clock: the test environment's, which skips time. */
  volatile Supplier<Instant> clock = Instant::now;

  /**
   * Members MX has an aggregation under way for: it ends at the end of {@link #aggregatingReads}.
   */
  final Set<String> aggregating = ConcurrentHashMap.newKeySet();

  /** MX aggregates connected members in the background: every read finds data an hour old. */
  volatile boolean aggregatesInBackground;

  /** MX's {@code successfully_aggregated_at} per member guid. */
  final Map<String, String> lastSuccess = new ConcurrentHashMap<>();

  /**
   * MX ends the user's OAuth on a new member in place of the old one (its inbound member): same
   * client id, a new guid, connected.
   */
  String completeOAuthOnNewMember(String oldGuid) {
    MxMember old =
        members.values().stream().filter(m -> m.guid().equals(oldGuid)).findFirst().orElseThrow();
    MxMember inbound =
        new MxMember("MBR-inbound-" + old.id(), old.id(), old.userGuid(), old.institutionCode());
    members.put(old.id(), inbound);
    completeOAuth(inbound.guid());
    return inbound.guid();
  }

  /** What happens at MX when the user really completes the OAuth with success. */
  void completeOAuth(String memberGuid) {
    statuses.put(memberGuid, "CONNECTED");
    aggregating.add(memberGuid);
  }

  @Override
  public MxUser ensureUser(String userId, MxApi api) {
    apis.add(api);
    return user(userId);
  }

  private static MxUser user(String userId) {
    return new MxUser("USR-" + userId, userId);
  }

  /**
   * MX returns the first window with a member it creates, unless the window's options say to skip
   * the aggregation, which the creation cannot carry.
   */
  @Override
  public OpenedMember openOAuthMember(MemberToOpen open, MxApi api) {
    apis.add(api);
    boolean existed = members.containsKey(open.memberId());
    MxMember member = create(open.under(user(open.userId()).guid()));
    if (existed || Boolean.TRUE.equals(open.options().skipAggregation())) {
      return new OpenedMember(member, null);
    }
    return new OpenedMember(
        member,
        window(new OAuthWindowRequest(member.userGuid(), member.guid(), open.options(), 1)));
  }

  @Override
  public MxMember createOAuthMember(NewOAuthMember member, MxApi api) {
    apis.add(api);
    return create(member);
  }

  private MxMember create(NewOAuthMember member) {
    if (INSTITUTION_WITHOUT_OAUTH.equals(member.institutionCode())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Member cannot use OAuth", MEMBER_CANNOT_USE_OAUTH);
    }
    memberCreations.add(member);
    return members.computeIfAbsent(
        member.memberId(),
        id -> new MxMember("MBR-" + id, id, member.userGuid(), member.institutionCode()));
  }

  @Override
  public String requestOAuthWindowUri(OAuthWindowRequest request, MxApi api) {
    apis.add(api);
    return window(request);
  }

  /** Every window MX hands out, with a member or on its own, counts as one requested. */
  private String window(OAuthWindowRequest request) {
    windowRequests.add(request);
    return "int-widgets.test/oauth/" + request.memberGuid() + "/" + windowRequests.size();
  }

  @Override
  public MemberStatus readMemberStatus(String userGuid, String memberGuid, MxApi api) {
    apis.add(api);
    statusReads.add(memberGuid);
    if (slowReads) {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    String status = statuses.getOrDefault(memberGuid, "PENDING");
    if (status.equals("CONNECTED") && lag.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
      return new MemberStatus(memberGuid, "PENDING");
    }
    if (status.equals("CONNECTED") && aggregating.contains(memberGuid)) {
      boolean still = aggregatingReads.getAndUpdate(left -> Math.max(0, left - 1)) > 0;
      if (!still) {
        aggregating.remove(memberGuid);
        lastSuccess.put(memberGuid, clock.get().toString());
      }
      return new MemberStatus(memberGuid, status, still, lastSuccess.get(memberGuid));
    }
    if (status.equals("CONNECTED") && aggregatesInBackground) {
      lastSuccess.put(memberGuid, clock.get().minus(Duration.ofHours(1)).toString());
    }
    return new MemberStatus(memberGuid, status, false, lastSuccess.get(memberGuid));
  }

  @Override
  public MxMember readMember(String userGuid, String memberGuid, MxApi api) {
    apis.add(api);
    return members.values().stream()
        .filter(m -> m.guid().equals(memberGuid))
        .findFirst()
        .orElseThrow(
            () -> ApplicationFailure.newNonRetryableFailure("no member " + memberGuid, REJECTED));
  }

  @Override
  public void aggregateMember(String userGuid, String memberGuid, MxApi api) {
    apis.add(api);
    aggregations.add(memberGuid);
    aggregatingReads.set(1);
    aggregating.add(memberGuid);
  }

  @Override
  public void deleteMember(String userGuid, String memberGuid, MxApi api) {
    apis.add(api);
    deletions.add(memberGuid);
    statuses.remove(memberGuid);
  }
}
