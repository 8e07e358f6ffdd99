package io.memberflow.sandbox;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Users, members and OAuth windows, held in memory and safe for concurrent requests. Every change
 * is reported to a listener, which may keep a copy on disk ({@link SandboxStore}).
 */
final class SandboxState {

  private final Runnable changed;

  SandboxState(Runnable changed) {
    this.changed = changed;
  }

  /** Everything the sandbox knows, as kept on disk. */
  record Snapshot(List<User> users, List<StoredMember> members, List<Window> windows) {}

  record StoredMember(
      String guid,
      String id,
      String userGuid,
      String institutionCode,
      boolean oauth,
      String connectionStatus,
      String successfullyAggregatedAt,
      String aggregatedAt) {}

  record User(String guid, String id) {}

  static final class Member {
    final String guid;
    final String id;
    final String userGuid;
    final String userId;
    final Institution institution;
    final boolean oauth;
    volatile String connectionStatus = "PENDING";
    volatile String successfullyAggregatedAt;
    volatile String aggregatedAt;
    volatile boolean isBeingAggregated;

    /** The aggregation under way is MX's daily one in the background, not one asked for. */
    volatile boolean inBackground;

    /** A requested aggregation keeps MX's background one away until then. */
    volatile Instant backgroundPausedUntil = Instant.MIN;

    private Member(String guid, String id, User user, Institution institution, boolean oauth) {
      this.guid = guid;
      this.oauth = oauth;
      this.id = id;
      this.userGuid = user.guid();
      this.userId = user.id();
      this.institution = institution;
    }
  }

  /**
   * A one-time OAuth window. It moves OPEN → VISITED (the user reached the institution page) →
   * COMPLETED (the page reported an outcome), each step once.
   */
  record Window(
      String token,
      String memberGuid,
      String referralSource,
      String clientRedirectUrl,
      String uiMessageWebviewUrlScheme,
      boolean skipAggregation,
      Stage stage) {

    enum Stage {
      OPEN,
      VISITED,
      COMPLETED
    }

    Window at(Stage next) {
      return new Window(
          token,
          memberGuid,
          referralSource,
          clientRedirectUrl,
          uiMessageWebviewUrlScheme,
          skipAggregation,
          next);
    }
  }

  private final Map<String, User> usersByGuid = new ConcurrentHashMap<>();
  private final Map<String, User> usersById = new ConcurrentHashMap<>();
  private final Map<String, Member> membersByGuid = new ConcurrentHashMap<>();
  private final Map<String, Member> membersByUserAndId = new ConcurrentHashMap<>();
  private final Map<String, Window> windows = new ConcurrentHashMap<>();

  /** Creates the user, or returns empty when one with this id exists (MX answers 409). */
  synchronized Optional<User> createUser(String id) {
    if (id != null && usersById.containsKey(id)) {
      return Optional.empty();
    }
    User user = new User("USR-" + UUID.randomUUID(), id);
    add(user);
    changed.run();
    return Optional.of(user);
  }

  /** MX's identifiers: the MX guid or the client-defined id. */
  Optional<User> user(String identifier) {
    return Optional.ofNullable(usersByGuid.get(identifier))
        .or(() -> Optional.ofNullable(usersById.get(identifier)));
  }

  synchronized Optional<Member> createMember(
      User user, String id, Institution institution, boolean oauth) {
    if (id != null && membersByUserAndId.containsKey(user.guid() + "/" + id)) {
      return Optional.empty();
    }
    Member member = new Member("MBR-" + UUID.randomUUID(), id, user, institution, oauth);
    add(member);
    changed.run();
    return Optional.of(member);
  }

  /** Deletes the user for good, with its members: its guid is unknown from then on. */
  synchronized void deleteUser(User user) {
    allMembers().stream().filter(m -> m.userGuid.equals(user.guid())).forEach(this::deleteMember);
    usersByGuid.remove(user.guid());
    if (user.id() != null) {
      usersById.remove(user.id());
    }
    changed.run();
  }

  /** Deletes the member for good, with its windows: its URIs no longer open. */
  synchronized void deleteMember(Member member) {
    membersByGuid.remove(member.guid);
    if (member.id != null) {
      membersByUserAndId.remove(member.userGuid + "/" + member.id);
    }
    windows.values().removeIf(window -> window.memberGuid().equals(member.guid));
    changed.run();
  }

  /**
   * MX ends the OAuth on a new member in place of {@code old} (its {@code inbound_member_guid}):
   * same user, client id and institution, a new guid; the old member and its windows are gone.
   */
  synchronized Member replaceMember(Member old) {
    deleteMember(old);
    Member member =
        new Member(
            "MBR-" + UUID.randomUUID(),
            old.id,
            usersByGuid.get(old.userGuid),
            old.institution,
            old.oauth);
    add(member);
    changed.run();
    return member;
  }

  Optional<Member> member(User user, String identifier) {
    Member byGuid = membersByGuid.get(identifier);
    if (byGuid != null && byGuid.userGuid.equals(user.guid())) {
      return Optional.of(byGuid);
    }
    return Optional.ofNullable(membersByUserAndId.get(user.guid() + "/" + identifier));
  }

  /** Every member, for MX's background work. */
  List<Member> allMembers() {
    return List.copyOf(membersByGuid.values());
  }

  /** Every user, oldest first. */
  List<User> users() {
    return usersByGuid.values().stream().sorted(Comparator.comparing(User::guid)).toList();
  }

  /** The user's members, in a stable order. */
  List<Member> members(User user) {
    return membersByGuid.values().stream()
        .filter(m -> m.userGuid.equals(user.guid()))
        .sorted(Comparator.comparing((Member m) -> m.guid))
        .toList();
  }

  Optional<Member> memberByGuid(String guid) {
    return Optional.ofNullable(membersByGuid.get(guid));
  }

  Window openWindow(
      Member member,
      String referralSource,
      String clientRedirectUrl,
      String webviewScheme,
      boolean skipAggregation) {
    Window window =
        new Window(
            UUID.randomUUID().toString().replace("-", ""),
            member.guid,
            referralSource,
            clientRedirectUrl,
            webviewScheme,
            skipAggregation,
            Window.Stage.OPEN);
    windows.put(window.token(), window);
    changed.run();
    return window;
  }

  /**
   * Moves a window from {@code from} to the next stage and returns it; empty when the window is
   * unknown or not at {@code from} (a reused URI, a second outcome).
   */
  synchronized Optional<Window> advance(String token, Window.Stage from, Window.Stage to) {
    Window window = windows.get(token);
    if (window == null || window.stage() != from) {
      return Optional.empty();
    }
    windows.put(token, window.at(to));
    changed.run();
    return Optional.of(window);
  }

  /** What an OAuth that completed did to the member. */
  void recordOutcome(Member member, String connectionStatus) {
    member.connectionStatus = connectionStatus;
    changed.run();
  }

  /** An aggregation of the member starts {@code at}, in the background or asked for. */
  void recordAggregationStart(Member member, Instant at, boolean inBackground) {
    member.isBeingAggregated = true;
    member.inBackground = inBackground;
    member.aggregatedAt = at.toString();
    changed.run();
  }

  /** The member's status changed outside any OAuth or aggregation. */
  void recordStatus(Member member, String connectionStatus) {
    member.connectionStatus = connectionStatus;
    member.isBeingAggregated = false;
    changed.run();
  }

  /** The aggregation ended: with new data, or with the member in {@code failedStatus}. */
  void recordAggregation(Member member, String failedStatus, Instant at) {
    member.isBeingAggregated = false;
    if (failedStatus == null) {
      member.successfullyAggregatedAt = at.toString();
    } else {
      member.connectionStatus = failedStatus;
    }
    changed.run();
  }

  synchronized Snapshot snapshot() {
    return new Snapshot(
        List.copyOf(usersByGuid.values()),
        membersByGuid.values().stream()
            .map(
                m ->
                    new StoredMember(
                        m.guid,
                        m.id,
                        m.userGuid,
                        m.institution.code(),
                        m.oauth,
                        m.connectionStatus,
                        m.successfullyAggregatedAt,
                        m.aggregatedAt))
            .toList(),
        List.copyOf(windows.values()));
  }

  /** Takes back what an earlier run kept; members of institutions no longer known are dropped. */
  synchronized void restore(Snapshot snapshot, List<Institution> institutions) {
    snapshot.users().forEach(this::add);
    for (StoredMember stored : snapshot.members()) {
      User user = usersByGuid.get(stored.userGuid());
      Optional<Institution> institution =
          institutions.stream().filter(i -> i.code().equals(stored.institutionCode())).findFirst();
      if (user != null && institution.isPresent()) {
        Member member =
            new Member(stored.guid(), stored.id(), user, institution.get(), stored.oauth());
        member.connectionStatus = stored.connectionStatus();
        member.successfullyAggregatedAt = stored.successfullyAggregatedAt();
        member.aggregatedAt = stored.aggregatedAt();
        add(member);
      }
    }
    snapshot.windows().stream()
        .filter(window -> membersByGuid.containsKey(window.memberGuid()))
        .forEach(window -> windows.put(window.token(), window));
  }

  private void add(User user) {
    usersByGuid.put(user.guid(), user);
    if (user.id() != null) {
      usersById.put(user.id(), user);
    }
  }

  private void add(Member member) {
    membersByGuid.put(member.guid, member);
    if (member.id != null) {
      membersByUserAndId.put(member.userGuid + "/" + member.id, member);
    }
  }
}
