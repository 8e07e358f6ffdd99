package io.memberflow.service.encryption;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.memberflow.service.security.DevelopmentKeys;
import io.memberflow.service.security.EncryptionProperties;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * AES-256-GCM for every payload memberflow hands Temporal. An encrypted payload says which key made
 * it (metadata {@code encryption-key-id}), so that keys can rotate: the active key encrypts, every
 * configured key decrypts what it made, and payloads from before encryption pass as they are.
 */
@Component
public class PayloadEncryption implements PayloadCodec {

  static final String ENCODING = "binary/encrypted";
  static final String KEY_ID = "encryption-key-id";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final Map<String, SecretKey> keys = new LinkedHashMap<>();
  private final String activeKey;
  private final SecureRandom random = new SecureRandom();

  /** {@code checked}: the development keys are refused, with their reason, before this is made. */
  public PayloadEncryption(EncryptionProperties properties, DevelopmentKeys checked) {
    properties
        .keys()
        .forEach((id, key) -> keys.put(id, key("memberflow.encryption.keys." + id, key, "AES")));
    if (properties.activeKey() == null || !keys.containsKey(properties.activeKey())) {
      throw new IllegalStateException(
          "memberflow.encryption.active-key must name one of memberflow.encryption.keys "
              + keys.keySet());
    }
    this.activeKey = properties.activeKey();
  }

  /** A 32-byte key from its base64 form, or why not. */
  static SecretKey key(String name, String base64, String algorithm) {
    byte[] bytes;
    try {
      bytes = base64 == null ? new byte[0] : Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      bytes = new byte[0];
    }
    if (bytes.length != 32) {
      throw new IllegalStateException(name + " must be 32 bytes, base64");
    }
    return new SecretKeySpec(bytes, algorithm);
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return payloads.stream().map(this::encrypt).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(this::decrypt).toList();
  }

  private Payload encrypt(Payload payload) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed = run(Cipher.ENCRYPT_MODE, activeKey, nonce, payload.toByteArray());
    return Payload.newBuilder()
        .putMetadata("encoding", ByteString.copyFromUtf8(ENCODING))
        .putMetadata(KEY_ID, ByteString.copyFromUtf8(activeKey))
        .setData(
            ByteString.copyFrom(
                ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array()))
        .build();
  }

  private Payload decrypt(Payload payload) {
    if (!ENCODING.equals(
        payload.getMetadataOrDefault("encoding", ByteString.EMPTY).toStringUtf8())) {
      return payload;
    }
    String keyId = payload.getMetadataOrDefault(KEY_ID, ByteString.EMPTY).toStringUtf8();
    if (!keys.containsKey(keyId)) {
      throw new PayloadCodecException(
          "payload encrypted with key " + keyId + ", which is not in memberflow.encryption.keys");
    }
    byte[] data = payload.getData().toByteArray();
    if (data.length <= NONCE_BYTES) {
      throw new PayloadCodecException("encrypted payload too short");
    }
    byte[] nonce = java.util.Arrays.copyOf(data, NONCE_BYTES);
    byte[] sealed = java.util.Arrays.copyOfRange(data, NONCE_BYTES, data.length);
    try {
      return Payload.parseFrom(run(Cipher.DECRYPT_MODE, keyId, nonce, sealed));
    } catch (InvalidProtocolBufferException e) {
      throw new PayloadCodecException(e);
    }
  }

  /** One per thread: looking a cipher up costs more than using it; each use is initialised anew. */
  private static final ThreadLocal<Cipher> CIPHERS =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("AES/GCM is not available", e);
            }
          });

  /**
   * The key id is authenticated with the data, so a payload cannot be passed off as another key's.
   */
  private byte[] run(int mode, String keyId, byte[] nonce, byte[] input) {
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(mode, keys.get(keyId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(e);
    }
  }
}
