package io.memberflow.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connections that live on after connecting: what each costs the service's heap (after a full GC)
 * and the Temporal server's database, and how long after the bank revokes a member's token (the
 * sandbox's status change, with MX's webhooks) the integrator's {@code connection.reauth_required}
 * arrives.
 */
final class Lived {

  private static final int CONNECTING_CLIENTS = 32;
  private static final int REVOKED = 20;
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private Lived() {}

  static String run(
      String server,
      Stack stack,
      MemberflowSide memberflow,
      LifeWebhooks webhooks,
      int n,
      HttpClient http)
      throws Exception {
    long heapBefore = Parked.heapAfterGc(stack.service);
    long dbBefore = stack.temporalDatabaseBytes();
    AtomicLong errors = new AtomicLong();
    Parked.inParallel(CONNECTING_CLIENTS, n, i -> memberflow.run("lived-" + i), errors);
    long heapAfter = Parked.heapAfterGc(stack.service);
    long dbAfter = stack.temporalDatabaseBytes();
    List<Double> latencies = revoke(stack, memberflow, webhooks, http);

    Table table =
        new Table(server + ", " + n + " connections living on", "before", "after", "each");
    table.row(
        "service heap after full GC, MB",
        Table.num(heapBefore / 1e6),
        Table.num(heapAfter / 1e6),
        Table.num((heapAfter - heapBefore) / (double) n / 1000) + " KB");
    table.row(
        "Temporal database (SQLite + WAL), MB",
        Table.num(dbBefore / 1e6),
        Table.num(dbAfter / 1e6),
        Table.num((dbAfter - dbBefore) / (double) n / 1000) + " KB");
    List<Double> sorted = latencies.stream().sorted().toList();
    table.row(
        "status change to reauth_required webhook, ms (" + sorted.size() + " members)",
        "median " + Table.num(sorted.get(sorted.size() / 2)),
        "max " + Table.num(sorted.get(sorted.size() - 1)),
        "");
    table.row("errors (connecting)", "", String.valueOf(errors.get()), "");
    return table.toString();
  }

  /** The bank revokes the token of some of them, one at a time; each until its webhook arrives. */
  private static List<Double> revoke(
      Stack stack, MemberflowSide memberflow, LifeWebhooks webhooks, HttpClient http)
      throws Exception {
    List<Double> latencies = new ArrayList<>();
    for (int i = 1; i <= REVOKED; i++) {
      String id = "lived-" + i;
      String guid = memberflow.read(id).path("member_guid").asText();
      long changed = System.nanoTime();
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          stack.sandboxUrl() + "/_sandbox/members/" + guid + "/connection_status"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"connection_status\":\"DENIED\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 204) {
        throw new IllegalStateException("the sandbox answered " + answer.statusCode());
      }
      long deadline = changed + PATIENCE.toNanos();
      Long arrived;
      while ((arrived = webhooks.reauthRequiredAt(id)) == null) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(id + ": no reauth_required within " + PATIENCE);
        }
        Thread.sleep(1);
      }
      latencies.add((arrived - changed) / 1e6);
    }
    return latencies;
  }
}
