package io.memberflow.service.connections;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Set;

/**
 * The part of MX's webhooks memberflow reads: which member it is about. Connection-status and
 * aggregation webhooks name it in {@code member_guid}; member webhooks carry the member, with its
 * {@code guid}. Everything else is ignored: MX adds fields without notice.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record MxWebhook(String type, String action, String memberGuid, Member member) {

  /** The webhook types MX documents for members; any other is counted as {@code OTHER}. */
  static final Set<String> KNOWN_TYPES = Set.of("MEMBER", "CONNECTION_STATUS", "AGGREGATION");

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Member(String guid) {}

  String guid() {
    return memberGuid != null ? memberGuid : member == null ? null : member.guid();
  }

  /** A bounded name for metrics: member webhooks carry no {@code type}. */
  String kind() {
    String kind = type != null ? type : member != null ? "MEMBER" : "OTHER";
    return KNOWN_TYPES.contains(kind) ? kind : "OTHER";
  }
}
