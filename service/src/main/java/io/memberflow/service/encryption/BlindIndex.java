package io.memberflow.service.encryption;

import io.memberflow.service.security.DevelopmentKeys;
import io.memberflow.service.security.EncryptionProperties;
import io.memberflow.service.security.Hmac;
import org.springframework.stereotype.Component;

/**
 * What Temporal's search attributes hold instead of a user id or a member guid: a keyed hash
 * (HMAC-SHA256 with {@code memberflow.encryption.index-key}). Visibility can still find the
 * connections of a user, or the connection of a member, by the same hash; whoever reads Temporal
 * learns neither.
 */
@Component
public class BlindIndex {

  private final Hmac hmac;

  public BlindIndex(EncryptionProperties properties, DevelopmentKeys checked) {
    this.hmac =
        new Hmac(
            PayloadEncryption.key(
                "memberflow.encryption.index-key", properties.indexKey(), "HmacSHA256"));
  }

  public String userId(String userId) {
    return hash("user:", userId);
  }

  public String memberGuid(String memberGuid) {
    return hash("member:", memberGuid);
  }

  private String hash(String kind, String value) {
    return hmac.of(kind + value);
  }
}
