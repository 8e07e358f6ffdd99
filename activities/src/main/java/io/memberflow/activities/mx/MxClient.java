package io.memberflow.activities.mx;

import static io.memberflow.activities.mx.MxHttp.required;

import io.memberflow.activities.mx.MxBodies.ClientObject;
import io.memberflow.activities.mx.MxBodies.Listing;
import io.memberflow.activities.mx.MxBodies.Member;
import io.memberflow.activities.mx.MxBodies.MemberBody;
import io.memberflow.activities.mx.MxBodies.NewMember;
import io.memberflow.activities.mx.MxBodies.NewMemberBody;
import io.memberflow.activities.mx.MxBodies.User;
import io.memberflow.activities.mx.MxBodies.UserBody;
import io.memberflow.activities.mx.MxHttp.Creation;
import io.memberflow.workflows.mx.MemberStatus;
import io.memberflow.workflows.mx.MemberToOpen;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxUser;
import io.memberflow.workflows.mx.NewOAuthMember;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import io.memberflow.workflows.mx.OAuthWindowRequest;
import io.memberflow.workflows.mx.OpenedMember;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;
import org.springframework.web.util.UriBuilder;

/**
 * One MX API generation. The three share paths, bodies and error mapping; what sets each apart is
 * its {@link Dialect} and the headers its factory puts on every request, so the workflow cannot
 * tell them apart.
 */
public final class MxClient {

  static final String PLATFORM_VERSION = "v20250224";
  static final MediaType ATRIUM_MEDIA_TYPE =
      MediaType.parseMediaType("application/vnd.mx.atrium.v1+json");
  static final MediaType NEXUS_MEDIA_TYPE =
      MediaType.parseMediaType("application/vnd.mx.nexus.v1+json");
  private static final int PAGE_SIZE = 100;

  /**
   * How an API differs in what it is sent.
   *
   * @param findsByListing after a 409, the existing object is found by listing (Atrium addresses
   *     objects by guid only) rather than read by the client's id
   * @param memberPath where one member lives, with {@code {user}} and {@code {member}} guids
   * @param takesApp2app whether it knows {@code enable_app2app}
   * @param bodyType the media type of what it is sent
   */
  private record Dialect(
      MxApi api,
      boolean findsByListing,
      String memberPath,
      boolean takesApp2app,
      MediaType bodyType) {

    private static final Dialect PLATFORM =
        new Dialect(
            MxApi.PLATFORM,
            false,
            "/users/{user}/members/{member}",
            true,
            MediaType.APPLICATION_JSON);
    private static final Dialect ATRIUM =
        new Dialect(
            MxApi.ATRIUM,
            true,
            "/users/{user}/members/{member}",
            false,
            MediaType.APPLICATION_JSON);
    private static final Dialect NEXUS =
        new Dialect(MxApi.NEXUS, false, "/members/{member}", false, NEXUS_MEDIA_TYPE);

    /** The client's own id is {@code identifier} at Atrium, {@code id} elsewhere. */
    boolean namesIdIdentifier() {
      return api == MxApi.ATRIUM;
    }
  }

  private final Dialect dialect;
  private final MxHttp http;
  private final RedirectSigner redirects;
  private final KnownUsers knownUsers;

  private MxClient(Dialect dialect, RestClient rest, MxTransport transport) {
    this.dialect = dialect;
    this.http = new MxHttp(dialect.api(), rest, transport.registry());
    this.redirects = transport.redirects();
    this.knownUsers = new KnownUsers(transport.knownUsers());
  }

  /** The Platform API: Basic auth with client id and API key, and its version header. */
  public static MxClient platform(KeyedEndpoint endpoint, MxTransport transport) {
    Consumer<HttpHeaders> headers =
        fixed -> {
          fixed.setBasicAuth(endpoint.clientId(), endpoint.apiKey());
          fixed.setAccept(List.of(MediaType.APPLICATION_JSON));
          fixed.set("Accept-Version", PLATFORM_VERSION);
        };
    return new MxClient(Dialect.PLATFORM, rest(transport, endpoint.baseUrl(), headers), transport);
  }

  /** MX's older Atrium API: key and client id in headers of their own, and its own media type. */
  public static MxClient atrium(KeyedEndpoint endpoint, MxTransport transport) {
    Consumer<HttpHeaders> headers =
        fixed -> {
          fixed.set("MX-API-Key", endpoint.apiKey());
          fixed.set("MX-Client-ID", endpoint.clientId());
          fixed.setAccept(List.of(ATRIUM_MEDIA_TYPE));
        };
    return new MxClient(Dialect.ATRIUM, rest(transport, endpoint.baseUrl(), headers), transport);
  }

  /** MX's Nexus (SSO data) API: every request carries the worker's shared session. */
  public static MxClient nexus(NexusEndpoint endpoint, MxTransport transport) {
    RestClient sessionless =
        rest(transport, endpoint.baseUrl(), fixed -> fixed.setAccept(List.of(NEXUS_MEDIA_TYPE)));
    NexusSessions sessions =
        new NexusSessions(endpoint, new MxHttp(MxApi.NEXUS, sessionless, transport.registry()));
    RestClient rest = sessionless.mutate().requestInterceptor(sessions).build();
    return new MxClient(Dialect.NEXUS, rest, transport);
  }

  private static RestClient rest(
      MxTransport transport, URI baseUrl, Consumer<HttpHeaders> headers) {
    return transport.restClient(baseUrl).defaultHeaders(headers).build();
  }

  /**
   * Opens a connection's member in the fewest calls: under the user's guid when this worker knows
   * it, else after creating (or finding) the user; a known user MX no longer has (404) is made
   * again. The first window is the one MX returns with the member it creates, unless the window
   * must skip the aggregation, which a creation cannot say; an existing member comes without one.
   */
  public OpenedMember openOAuthMember(MemberToOpen open) {
    String known = knownUsers.guidOf(open.userId());
    if (known != null) {
      Optional<CreatedMember> created = createMember(open.under(known), 404);
      if (created.isPresent()) {
        return created.get().opened(open.options());
      }
      knownUsers.forget(open.userId());
    }
    String userGuid = ensureUser(open.userId()).guid();
    return createMember(open.under(userGuid)).orElseThrow().opened(open.options());
  }

  /** Creates the user with the client's id, or finds the existing one (MX answered 409). */
  public MxUser ensureUser(String userId) {
    UserBody body =
        new UserBody(clientId(userId, (id, identifier) -> new User(null, id, identifier)));
    Creation<UserBody> creation =
        http.create("create_user", UserBody.class, rest -> post(rest, "/users", body));
    User user = creation.exists() ? existingUser(userId) : creation.created().user();
    if (user == null) {
      throw MxHttp.rejected("MX answered without user");
    }
    String guid = required(user.guid(), "guid");
    knownUsers.remember(userId, guid);
    return new MxUser(guid, orElse(user.clientId(), userId));
  }

  /**
   * Creates the OAuth member with the client's id, or finds the existing one (409); an existing
   * member at another institution is not this connection's and is refused.
   */
  public MxMember createOAuthMember(NewOAuthMember requested) {
    return createMember(requested).orElseThrow().member();
  }

  /** A member MX created, with the window it returned, or one it had (no window). */
  private record CreatedMember(MxMember member, String windowUri) {

    OpenedMember opened(OAuthWindowOptions options) {
      return new OpenedMember(
          member, Boolean.TRUE.equals(options.skipAggregation()) ? null : windowUri);
    }
  }

  /** Creates the member, or finds it (409); empty when MX refused with one of {@code tolerated}. */
  private Optional<CreatedMember> createMember(NewOAuthMember requested, Integer... tolerated) {
    OAuthWindowOptions options = requested.options();
    NewMemberBody body =
        new NewMemberBody(
            clientId(
                requested.memberId(),
                (id, identifier) ->
                    new NewMember(id, identifier, requested.institutionCode(), true, List.of())),
            options.referralSourceOrDefault().name(),
            redirects.sign(options.clientRedirectUrl(), 1),
            options.uiMessageWebviewUrlScheme(),
            dialect.takesApp2app() ? options.enableApp2app() : null);
    String members = "/users/{user}/members";
    Creation<MemberBody> creation =
        http.create(
            "create_member",
            MemberBody.class,
            rest -> post(rest, members, body, requested.userGuid()),
            tolerated);
    if (creation.created() == null && !creation.exists()) {
      return Optional.empty();
    }
    Member member =
        creation.exists() ? existingMember(members, requested) : creation.created().member();
    if (member == null) {
      throw MxHttp.rejected("MX answered without member");
    }
    String institution = orElse(member.institutionCode(), requested.institutionCode());
    if (!institution.equals(requested.institutionCode())) {
      throw MxHttp.rejected(
          "member "
              + requested.memberId()
              + " already exists at MX for institution "
              + institution
              + ", not "
              + requested.institutionCode());
    }
    MxMember created =
        new MxMember(
            required(member.guid(), "guid"),
            orElse(member.clientId(), requested.memberId()),
            requested.userGuid(),
            institution);
    return Optional.of(
        new CreatedMember(created, creation.exists() ? null : member.oauthWindowUri()));
  }

  /** A fresh one-time URI; the window's options go along as query parameters. */
  public String requestOAuthWindowUri(OAuthWindowRequest request) {
    Map<String, Object> query = windowQuery(request.options(), request.attempt());
    Member member =
        http.send(
                "request_oauth_window_uri",
                MemberBody.class,
                rest ->
                    rest.get()
                        .uri(
                            uri -> {
                              UriBuilder builder =
                                  uri.path(dialect.memberPath() + "/oauth_window_uri");
                              // Values go in as variables so that they are encoded whole ('&', '='
                              // too).
                              query
                                  .keySet()
                                  .forEach(name -> builder.queryParam(name, "{" + name + "}"));
                              return builder.build(
                                  variables(request.userGuid(), request.memberGuid(), query));
                            }))
            .member();
    return required(member == null ? null : member.oauthWindowUri(), "oauth_window_uri");
  }

  public MemberStatus readMemberStatus(String userGuid, String memberGuid) {
    Member member =
        http.send(
                "read_member_status",
                MemberBody.class,
                rest -> rest.get().uri(memberUri("/status", userGuid, memberGuid)))
            .member();
    return member == null
        ? new MemberStatus(memberGuid, null)
        : new MemberStatus(
            memberGuid,
            member.connectionStatus(),
            member.beingAggregated(),
            member.successfullyAggregatedAt());
  }

  /** MX's record of one of the user's members, read by its guid. */
  public MxMember readMember(String userGuid, String memberGuid) {
    Member member =
        http.send(
                "read_member",
                MemberBody.class,
                rest -> rest.get().uri(memberUri("", userGuid, memberGuid)))
            .member();
    if (member == null) {
      throw MxHttp.rejected("MX answered without member");
    }
    return new MxMember(
        required(member.guid(), "guid"), member.clientId(), userGuid, member.institutionCode());
  }

  /** MX's 202 and its 409 (another kind of aggregation runs) both leave one under way. */
  public void aggregateMember(String userGuid, String memberGuid) {
    http.perform(
        "aggregate_member",
        Set.of(409),
        rest -> rest.post().uri(memberUri("/aggregate", userGuid, memberGuid)));
  }

  /** MX's 404 means the member is gone already: deleting it again is done. */
  public void deleteMember(String userGuid, String memberGuid) {
    http.perform(
        "delete_member",
        Set.of(404),
        rest -> rest.delete().uri(memberUri("", userGuid, memberGuid)));
  }

  /** One member's URL at this API, with {@code suffix} after it. */
  private Function<UriBuilder, URI> memberUri(String suffix, String userGuid, String memberGuid) {
    return uri ->
        uri.path(dialect.memberPath() + suffix).build(variables(userGuid, memberGuid, Map.of()));
  }

  private User existingUser(String userId) {
    return dialect.findsByListing()
        ? findByClientId("list_users", "/users", Listing::users, userId)
        : http.send("read_user", UserBody.class, rest -> rest.get().uri("/users/{id}", userId))
            .user();
  }

  private Member existingMember(String members, NewOAuthMember requested) {
    return dialect.findsByListing()
        ? findByClientId(
            "list_members", members, Listing::members, requested.memberId(), requested.userGuid())
        : http.send(
                "read_member",
                MemberBody.class,
                rest ->
                    rest.get().uri(members + "/{id}", requested.userGuid(), requested.memberId()))
            .member();
  }

  /** Pages through a listing for the object with the client's id. */
  private <T extends ClientObject> T findByClientId(
      String operation,
      String path,
      Function<Listing, List<T>> items,
      String clientId,
      Object... variables) {
    int totalPages = 1;
    for (int page = 1; page <= totalPages; page++) {
      int current = page;
      Listing listing =
          http.send(
              operation,
              Listing.class,
              rest ->
                  rest.get()
                      .uri(
                          uri ->
                              uri.path(path)
                                  .queryParam("page", current)
                                  .queryParam("records_per_page", PAGE_SIZE)
                                  .build(variables)));
      for (T item : orElse(items.apply(listing), List.<T>of())) {
        if (clientId.equals(item.clientId())) {
          return item;
        }
      }
      totalPages =
          listing.pagination() == null || listing.pagination().totalPages() == null
              ? 1
              : listing.pagination().totalPages();
    }
    throw MxHttp.rejected("MX answered 409 for identifier " + clientId + " but does not list it");
  }

  private RestClient.RequestHeadersSpec<?> post(
      RestClient rest, String path, Object body, Object... variables) {
    return rest.post().uri(path, variables).contentType(dialect.bodyType()).body(body);
  }

  /** Puts the client's id under the API's name for it. */
  private <T> T clientId(String value, BiFunction<String, String, T> object) {
    return dialect.namesIdIdentifier() ? object.apply(null, value) : object.apply(value, null);
  }

  /**
   * The window parameters all APIs take; a null value is left out so that MX applies its default.
   */
  private Map<String, Object> windowQuery(OAuthWindowOptions options, int attempt) {
    Map<String, Object> query = new LinkedHashMap<>();
    query.put("referral_source", options.referralSourceOrDefault().name());
    query.put("skip_aggregation", options.skipAggregation());
    query.put("client_redirect_url", redirects.sign(options.clientRedirectUrl(), attempt));
    query.put("ui_message_webview_url_scheme", options.uiMessageWebviewUrlScheme());
    query.put("enable_app2app", dialect.takesApp2app() ? options.enableApp2app() : null);
    query.values().removeIf(Objects::isNull);
    return query;
  }

  private static Map<String, Object> variables(
      String userGuid, String memberGuid, Map<String, Object> more) {
    Map<String, Object> variables = new LinkedHashMap<>(more);
    variables.put("user", userGuid);
    variables.put("member", memberGuid);
    return variables;
  }

  private static <T> T orElse(T value, T fallback) {
    return value != null ? value : fallback;
  }

  /** For logs and failure messages: which API, never its credentials. */
  @Override
  public String toString() {
    return "MxClient[" + dialect.api().wireName() + "]";
  }
}
