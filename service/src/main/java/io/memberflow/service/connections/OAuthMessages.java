package io.memberflow.service.connections;

import com.fasterxml.jackson.databind.JsonNode;
import io.memberflow.service.errors.ApiException;
import io.memberflow.workflows.connection.ErrorReason;
import io.memberflow.workflows.connection.OAuthMessage;
import java.util.Arrays;
import org.springframework.http.HttpStatus;

/**
 * Reads MX's OAuth-complete postMessage {@code data}, exactly as the browser captured it: {@code
 * {"mx": true, "type": "oauthComplete/success" | "oauthComplete/error", "metadata": {"member_guid":
 * ..., "error_reason": ...}}}. Anything else is refused with why.
 */
final class OAuthMessages {

  static final String SUCCESS = "oauthComplete/success";
  static final String ERROR = "oauthComplete/error";
  private static final int MAX_GUID_LENGTH = 128;

  private OAuthMessages() {}

  static OAuthMessage parse(JsonNode data) {
    if (data == null || !data.isObject()) {
      throw invalid("the body must be the postMessage data object");
    }
    if (!data.path("mx").isBoolean() || !data.path("mx").booleanValue()) {
      throw invalid("mx must be true: only MX's own messages are relayed");
    }
    String type = data.path("type").isTextual() ? data.path("type").asText() : null;
    if (!SUCCESS.equals(type) && !ERROR.equals(type)) {
      throw invalid("type must be " + SUCCESS + " or " + ERROR + ", not " + data.path("type"));
    }
    JsonNode metadata = data.path("metadata");
    JsonNode memberGuid = metadata.path("member_guid");
    if (!memberGuid.isTextual() || memberGuid.asText().isBlank()) {
      throw invalid("metadata.member_guid is required");
    }
    if (memberGuid.asText().length() > MAX_GUID_LENGTH) {
      throw invalid("metadata.member_guid is at most " + MAX_GUID_LENGTH + " characters");
    }
    if (SUCCESS.equals(type)) {
      return OAuthMessage.success(memberGuid.asText());
    }
    return OAuthMessage.error(memberGuid.asText(), errorReason(metadata.path("error_reason")));
  }

  static ErrorReason errorReason(JsonNode reason) {
    if (!reason.isTextual()) {
      throw invalid("metadata.error_reason is required for " + ERROR);
    }
    try {
      return ErrorReason.valueOf(reason.asText());
    } catch (IllegalArgumentException e) {
      throw invalid(
          "metadata.error_reason "
              + reason
              + " is not one of "
              + Arrays.toString(ErrorReason.values()));
    }
  }

  private static ApiException invalid(String why) {
    return new ApiException(HttpStatus.BAD_REQUEST, "Invalid OAuth message", why);
  }
}
