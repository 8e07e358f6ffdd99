package io.memberflow.workflows.mx;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Which generation of MX's API a connection talks to. The workflow only carries it to the
 * activities; it never branches on it.
 */
public enum MxApi {
  /** The MX Platform API (v20250224). */
  PLATFORM,
  /** The older Atrium API. */
  ATRIUM,
  /** The Nexus (SSO data) API, with session tokens. */
  NEXUS;

  /** How the API and histories spell it: {@code platform}, {@code atrium}, {@code nexus}. */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The API with this name, in any case. */
  public static Optional<MxApi> named(String name) {
    return Arrays.stream(values()).filter(api -> api.name().equalsIgnoreCase(name)).findFirst();
  }

  @JsonCreator
  static MxApi fromWire(String name) {
    return named(name).orElseThrow(() -> new IllegalArgumentException("unknown MX API " + name));
  }
}
