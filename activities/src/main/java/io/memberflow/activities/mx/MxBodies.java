package io.memberflow.activities.mx;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;

/**
 * MX's JSON bodies, as the three APIs share them. Atrium names the client's own id {@code
 * identifier} where the others say {@code id}; a body carries the one its API uses.
 */
public final class MxBodies {

  private MxBodies() {}

  /**
   * snake_case as MX writes it; null fields left out so MX applies its defaults; unknown fields
   * ignored, because MX adds fields without a new API version.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.TYPE)
  @JacksonAnnotationsInside
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  @interface MxJson {}

  /** An object MX keeps under the client's own id as well as its guid. */
  interface ClientObject {
    String id();

    String identifier();

    default String clientId() {
      return id() != null ? id() : identifier();
    }
  }

  @MxJson
  public record User(String guid, String id, String identifier) implements ClientObject {}

  @MxJson
  public record UserBody(User user) {}

  @MxJson
  public record NewMember(
      String id,
      String identifier,
      String institutionCode,
      @JsonProperty("is_oauth") boolean oauth,
      List<String> credentials) {}

  /** A member to create, with the settings of its first OAuth window. */
  @MxJson
  public record NewMemberBody(
      NewMember member,
      String referralSource,
      String clientRedirectUrl,
      String uiMessageWebviewUrlScheme,
      Boolean enableApp2app) {}

  @MxJson
  public record Member(
      String guid,
      String id,
      String identifier,
      String institutionCode,
      String oauthWindowUri,
      String connectionStatus,
      @JsonProperty("is_being_aggregated") Boolean beingAggregated,
      String successfullyAggregatedAt)
      implements ClientObject {}

  @MxJson
  public record MemberBody(Member member) {}

  /** One page of Atrium's user or member listing. */
  @MxJson
  public record Listing(List<User> users, List<Member> members, Pagination pagination) {}

  @MxJson
  public record Pagination(Integer totalPages) {}

  @MxJson
  public record Session(String token) {}

  @MxJson
  public record SessionBody(Session session) {}

  /** MX's error body, {@code {"error": {"code": ..., "message": ...}}}. */
  @MxJson
  public record ErrorBody(Error error) {}

  @MxJson
  public record Error(Integer code, String message) {}
}
