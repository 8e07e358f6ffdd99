package io.memberflow.workflows.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.memberflow.workflows.connection.Effect.Alert;
import io.memberflow.workflows.connection.Effect.FetchWindow;
import io.memberflow.workflows.connection.Effect.Notify;
import io.memberflow.workflows.connection.Effect.ReadMember;
import io.memberflow.workflows.mx.MemberStatus;
import io.memberflow.workflows.mx.MxApi;
import io.memberflow.workflows.mx.MxMember;
import io.memberflow.workflows.mx.MxUser;
import io.memberflow.workflows.mx.OAuthWindowOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Plays a connection's shell by hand: a clock that moves only when told, MX's answers given by the
 * test, and every reaction kept, so a test reads as what happened to the connection.
 */
final class Script implements ConnectionEnvironment {

  static final String MEMBER_GUID = "MBR-1";

  private Instant now = Instant.parse("2026-12-01T10:00:00Z");
  private int ids;
  final List<String> metrics = new ArrayList<>();
  final Connection connection;
  Reaction last;

  Script(OutcomePolicy policy) {
    this(policy, OAuthWindowOptions.browser());
  }

  Script(OutcomePolicy policy, OAuthWindowOptions options) {
    ConnectionRequest request =
        new ConnectionRequest(
            "conn-1",
            "user-1",
            "member-1",
            "mxbank",
            options,
            policy,
            MxApi.PLATFORM,
            "mxbank",
            "start-1",
            true);
    connection = new Connection(request, this, new CountingMetrics(metrics));
  }

  /** A connection whose user and member MX just made. */
  static Script withMember(OutcomePolicy policy, OAuthWindowOptions options) {
    Script script = new Script(policy, options);
    script.did(script.connection.begin());
    script.did(script.connection.userEnsured(new MxUser("USR-1", "user-1")));
    script.did(
        script.connection.memberCreated(new MxMember(MEMBER_GUID, "member-1", "USR-1", "mxbank")));
    return script;
  }

  /** A connection whose user and member MX made, with its first window out. */
  static Script withFirstWindow() {
    return withFirstWindow(OutcomePolicy.defaults(), OAuthWindowOptions.browser());
  }

  static Script withFirstWindow(OutcomePolicy policy) {
    return withFirstWindow(policy, OAuthWindowOptions.browser());
  }

  static Script withFirstWindow(OutcomePolicy policy, OAuthWindowOptions options) {
    Script script = withMember(policy, options);
    script.did(script.connection.timeIsUp());
    script.windowIssued();
    return script;
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public String newId() {
    return "id-" + ++ids;
  }

  Reaction did(Reaction reaction) {
    last = reaction;
    return reaction;
  }

  /** MX hands out the window the last reaction asked for. */
  Reaction windowIssued() {
    assertThat(last.effects()).last().isInstanceOf(FetchWindow.class);
    int attempt = ((FetchWindow) last.effects().get(last.effects().size() - 1)).request().attempt();
    return did(connection.windowIssued("https://int-widgets.test/oauth/" + attempt));
  }

  Reaction relay(OAuthMessage message) {
    return did(connection.handle(ClientRequest.relay(message)));
  }

  Reaction relayError(ErrorReason reason) {
    return relay(OAuthMessage.error(MEMBER_GUID, reason));
  }

  /** MX answers the read the last reaction asked for with {@code status}. */
  Reaction mxSays(String status) {
    assertThat(last.effects()).last().isInstanceOf(ReadMember.class);
    return did(
        connection.memberRead(
            status == null ? null : new MemberStatus(MEMBER_GUID, status, false, null)));
  }

  /** MX reports the member connected, its first aggregation done. */
  Reaction mxSaysDataIsReady() {
    assertThat(last.effects()).last().isInstanceOf(ReadMember.class);
    return did(
        connection.memberRead(
            new MemberStatus(MEMBER_GUID, "CONNECTED", false, "2026-12-01T10:05:00Z")));
  }

  /** The clock moves to where the connection said it waits until, and nothing else happened. */
  Reaction waitsItOut() {
    assertThat(connection.until()).isNotNull();
    now = connection.until();
    return did(connection.timeIsUp());
  }

  void passes(Duration duration) {
    now = now.plus(duration);
  }

  List<NotificationType> webhooks(Reaction reaction) {
    return reaction.effects().stream()
        .filter(Notify.class::isInstance)
        .map(e -> ((Notify) e).notification().type())
        .toList();
  }

  static long alerts(Reaction reaction) {
    return reaction.effects().stream().filter(Alert.class::isInstance).count();
  }

  static boolean fetchesWindow(Reaction reaction) {
    return reaction.effects().stream().anyMatch(FetchWindow.class::isInstance);
  }

  static ReadMember read(Reaction reaction) {
    assertThat(reaction.effects()).last().isInstanceOf(ReadMember.class);
    return (ReadMember) reaction.effects().get(reaction.effects().size() - 1);
  }

  /** Counts as the shell's metrics would, as "name:label" lines. */
  private record CountingMetrics(List<String> counted) implements ConnectionMetrics {
    @Override
    public void started() {
      counted.add("started");
    }

    @Override
    public void uriIssued() {
      counted.add("uri_issued");
    }

    @Override
    public void oauthResult(String result) {
      counted.add("oauth_result:" + result);
    }

    @Override
    public void confirmation(String outcome) {
      counted.add("confirmation:" + outcome);
    }

    @Override
    public void aggregation(String outcome) {
      counted.add("aggregation:" + outcome);
    }

    @Override
    public void transition(ConnectionState from, ConnectionState to) {
      counted.add("transition:" + from + ">" + to);
    }

    @Override
    public void finished(ConnectionState outcome, long millis) {
      counted.add("finished:" + outcome);
    }

    @Override
    public void memberHealth(MemberHealth health) {
      counted.add("member_health:" + health);
    }

    @Override
    public void repair(String step) {
      counted.add("repair:" + step);
    }

    @Override
    public void timeToRepair(long millis) {
      counted.add("time_to_repair");
    }

    @Override
    public void stale() {
      counted.add("stale");
    }
  }
}
