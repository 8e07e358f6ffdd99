package io.memberflow.service.security;

import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The keys that encrypt what memberflow hands Temporal (workflow inputs and results, updates,
 * signals, activity arguments and results), so that user ids, member guids, window URIs and
 * messages are not readable in Temporal's histories or its Web UI. Kept with the other secrets: the
 * development-key check ({@link DevelopmentKeys}) and the codec's CORS ({@link ApiSecurity}) read
 * them here, and the encryption package builds on this one, not the other way round.
 *
 * @param keys key id to key: 32 random bytes, base64 (required; the embedded profile sets a
 *     development key). Rotation: add a new key and make it active; keep the old ones as long as
 *     any history may hold payloads they encrypted, because they still decrypt those.
 * @param activeKey the id of the key that encrypts new payloads
 * @param indexKey 32 random bytes, base64, for the keyed hashes that stand in Temporal's search
 *     attributes for user ids and member guids (required; never rotated: the hashes of running and
 *     finished connections are made with it)
 * @param codecOrigins browser origins allowed to call the codec endpoint: Temporal Web UIs that
 *     decode through memberflow (none by default)
 */
@ConfigurationProperties("memberflow.encryption")
public record EncryptionProperties(
    Map<String, String> keys, String activeKey, String indexKey, List<String> codecOrigins) {

  public EncryptionProperties {
    keys = keys == null ? Map.of() : Map.copyOf(keys);
    codecOrigins = codecOrigins == null ? List.of() : List.copyOf(codecOrigins);
  }

  @Override
  public String toString() {
    return "EncryptionProperties[keys="
        + keys.keySet()
        + " (values hidden), activeKey="
        + activeKey
        + ", indexKey=***, codecOrigins="
        + codecOrigins
        + "]";
  }
}
