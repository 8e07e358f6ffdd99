package io.memberflow.service.encryption;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import io.memberflow.service.security.DevelopmentKeys;
import org.springframework.stereotype.Component;

/**
 * What Temporal's search attributes hold instead of a user id or a member guid: a keyed hash
 * (HMAC-SHA256 with {@code memberflow.encryption.index-key}). Visibility can still find the
 * connections of a user, or the connection of a member, by the same hash; whoever reads Temporal
 * learns neither.
 */
@Component
public class BlindIndex {

  private final SecretKey key;

  public BlindIndex(EncryptionProperties properties, DevelopmentKeys checked) {
    this.key = PayloadEncryption.key("memberflow.encryption.index-key", properties.indexKey(), "HmacSHA256");
  }

  public String userId(String userId) {
    return hash("user:", userId);
  }

  public String memberGuid(String memberGuid) {
    return hash("member:", memberGuid);
  }

  private String hash(String kind, String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString(mac.doFinal((kind + value).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
