package io.memberflow.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A small router over the JDK's HTTP server: method, path pattern, handler. */
final class SandboxHttp {

  static final ObjectMapper JSON = new ObjectMapper();

  /** One request as a handler sees it. */
  record Request(
      String method,
      String path,
      Map<String, String> query,
      List<String> pathParams,
      HttpExchange exchange,
      byte[] body) {

    String header(String name) {
      return exchange.getRequestHeaders().getFirst(name);
    }

    JsonNode json() {
      try {
        return body.length == 0 ? null : JSON.readTree(body);
      } catch (IOException e) {
        return null;
      }
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** One answer. */
  record Response(int status, String contentType, byte[] body, Map<String, String> headers) {

    static Response json(int status, Object body) {
      try {
        return new Response(status, "application/json", JSON.writeValueAsBytes(body), Map.of());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** MX's error body: {@code {"error": {"message": ...}}}. */
    static Response error(int status, String message) {
      return json(status, Map.of("error", Map.of("message", message)));
    }

    static Response html(int status, String html) {
      return new Response(
          status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    static Response redirect(String location) {
      return new Response(302, "text/plain", new byte[0], Map.of("Location", location));
    }

    static Response noContent() {
      return new Response(204, null, new byte[0], Map.of());
    }

    Response withHeader(String name, String value) {
      Map<String, String> more = new LinkedHashMap<>(headers);
      more.put(name, value);
      return new Response(status, contentType, body, more);
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private record Route(String method, Pattern pattern, Function<Request, Response> handler) {}

  private final List<Route> routes = new ArrayList<>();

  void on(String method, String regex, Function<Request, Response> handler) {
    routes.add(new Route(method, Pattern.compile(regex), handler));
  }

  /** Finds the handler for a request; 404 or 405 in MX's error shape when there is none. */
  Response dispatch(HttpExchange exchange, byte[] body) {
    String path = exchange.getRequestURI().getRawPath();
    String method = exchange.getRequestMethod();
    boolean pathKnown = false;
    for (Route route : routes) {
      Matcher matcher = route.pattern().matcher(path);
      if (!matcher.matches()) {
        continue;
      }
      pathKnown = true;
      if (route.method().equals(method)) {
        List<String> params = new ArrayList<>();
        for (int i = 1; i <= matcher.groupCount(); i++) {
          params.add(URLDecoder.decode(matcher.group(i), StandardCharsets.UTF_8));
        }
        return route
            .handler()
            .apply(
                new Request(
                    method,
                    path,
                    query(exchange.getRequestURI().getRawQuery()),
                    params,
                    exchange,
                    body));
      }
    }
    return pathKnown
        ? Response.error(405, "Method not allowed")
        : Response.error(404, "We were unable to find the record you requested.");
  }

  static Map<String, String> query(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return query;
  }
}
