package io.memberflow.service.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.memberflow.service.security.EncryptionProperties;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Encrypted payloads hide their content, name their key, and outlive a rotation. */
class PayloadEncryptionTest {

  static final String K1 = "cmVhbC1zZXJ2ZXItcGF5bG9hZC1rZXktbnVtYmVyLTE=";
  static final String K2 = "cmVhbC1zZXJ2ZXItcGF5bG9hZC1rZXktbnVtYmVyLTI=";

  private static PayloadEncryption with(Map<String, String> keys, String active) {
    return new PayloadEncryption(new EncryptionProperties(keys, active, K1, List.of()), null);
  }

  private static Payload json(String value) {
    return DefaultDataConverter.STANDARD_INSTANCE.toPayload(value).orElseThrow();
  }

  @Test
  void anEncryptedPayloadHidesItsContentAndNamesItsKey() {
    Payload sealed = with(Map.of("k1", K1), "k1").encode(List.of(json("user-17"))).get(0);

    assertThat(sealed.getData().toStringUtf8()).doesNotContain("user-17");
    assertThat(sealed.getMetadataOrThrow("encoding").toStringUtf8()).isEqualTo("binary/encrypted");
    assertThat(sealed.getMetadataOrThrow("encryption-key-id").toStringUtf8()).isEqualTo("k1");
  }

  @Test
  void afterARotationOldPayloadsStillDecryptAndNewOnesUseTheNewKey() {
    Payload old = with(Map.of("k1", K1), "k1").encode(List.of(json("member-guid"))).get(0);
    PayloadEncryption rotated = with(Map.of("k1", K1, "k2", K2), "k2");

    assertThat(rotated.decode(List.of(old))).containsExactly(json("member-guid"));
    Payload fresh = rotated.encode(List.of(json("member-guid"))).get(0);
    assertThat(fresh.getMetadataOrThrow("encryption-key-id").toStringUtf8()).isEqualTo("k2");
    assertThat(rotated.decode(List.of(fresh))).containsExactly(json("member-guid"));
  }

  @Test
  void aPayloadOfARemovedKeyOrTamperedWithIsRefusedAndAPlainOnePassesAsItIs() {
    Payload old = with(Map.of("k1", K1), "k1").encode(List.of(json("x"))).get(0);
    PayloadEncryption onlyK2 = with(Map.of("k2", K2), "k2");

    assertThatThrownBy(() -> onlyK2.decode(List.of(old)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("key k1");
    // Claiming another key's name is caught: the key id is authenticated with the data.
    Payload relabelled =
        old.toBuilder().putMetadata("encryption-key-id", ByteString.copyFromUtf8("k2")).build();
    assertThatThrownBy(() -> with(Map.of("k1", K1, "k2", K2), "k2").decode(List.of(relabelled)))
        .isInstanceOf(PayloadCodecException.class);
    assertThat(onlyK2.decode(List.of(json("before encryption"))))
        .containsExactly(json("before encryption"));
  }

  @Test
  void aWrongKeyIsRefusedAtStart() {
    assertThatThrownBy(() -> with(Map.of("k1", "c2hvcnQ="), "k1"))
        .hasMessageContaining("memberflow.encryption.keys.k1 must be 32 bytes, base64");
    assertThatThrownBy(() -> with(Map.of("k1", K1), "k9"))
        .hasMessageContaining("memberflow.encryption.active-key must name one of");
  }
}
