package io.memberflow.service.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * HMAC-SHA256 under one key, base64url without padding. A {@link Mac} is not thread-safe and costs
 * a provider lookup and a key schedule to make, so each thread keeps its own, keyed once.
 */
public final class Hmac {

  private final ThreadLocal<Mac> macs;

  public Hmac(SecretKey key) {
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
              }
            });
  }

  public String of(String text) {
    // doFinal resets the Mac for the thread's next use.
    byte[] tag = macs.get().doFinal(text.getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
  }
}
