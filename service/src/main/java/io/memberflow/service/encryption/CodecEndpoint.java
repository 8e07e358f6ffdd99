package io.memberflow.service.encryption;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.google.protobuf.ByteString;
import io.memberflow.service.errors.ApiException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Temporal's remote codec protocol, for operators only (an operator API key, or the Web UI's codec
 * session): the Temporal CLI ({@code --codec-endpoint …/codec --codec-auth 'Bearer <key>'}) and the
 * Web UI decode the encrypted payloads of histories here, so no one needs the keys themselves.
 */
@RestController
public class CodecEndpoint {

  /**
   * The protocol's body. It is Temporal's format, which grows fields (newer servers add some to
   * payloads): like MX's bodies, it is read for what the codec uses and the rest is ignored.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record CodecPayloads(List<CodecPayload> payloads) {}

  /**
   * One payload: metadata values and data are base64 in JSON; null is empty, as in protobuf JSON.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record CodecPayload(Map<String, String> metadata, String data) {}

  private final PayloadEncryption encryption;

  public CodecEndpoint(PayloadEncryption encryption) {
    this.encryption = encryption;
  }

  @PostMapping(
      path = "/codec/decode",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  public CodecPayloads decode(@RequestBody CodecPayloads payloads) {
    return apply(payloads, encryption::decode);
  }

  @PostMapping(
      path = "/codec/encode",
      consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  public CodecPayloads encode(@RequestBody CodecPayloads payloads) {
    return apply(payloads, encryption::encode);
  }

  private static CodecPayloads apply(CodecPayloads body, UnaryOperator<List<Payload>> codec) {
    if (body.payloads() == null || body.payloads().contains(null)) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "Invalid payloads",
          "payloads must be a list of {\"metadata\":{…},\"data\":\"<base64>\"}");
    }
    try {
      return new CodecPayloads(
          codec.apply(body.payloads().stream().map(CodecEndpoint::payload).toList()).stream()
              .map(CodecEndpoint::json)
              .toList());
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST, "Invalid payloads", "metadata values and data must be base64");
    } catch (PayloadCodecException e) {
      throw new ApiException(
          HttpStatus.UNPROCESSABLE_ENTITY,
          "Cannot decode",
          "a payload could not be decrypted with the configured keys");
    }
  }

  private static Payload payload(CodecPayload json) {
    Payload.Builder payload = Payload.newBuilder().setData(bytes(json.data()));
    if (json.metadata() != null) {
      json.metadata().forEach((key, value) -> payload.putMetadata(key, bytes(value)));
    }
    return payload.build();
  }

  /** Base64 as Temporal writes it; null is empty. */
  private static ByteString bytes(String base64) {
    return base64 == null
        ? ByteString.EMPTY
        : ByteString.copyFrom(Base64.getDecoder().decode(base64));
  }

  private static CodecPayload json(Payload payload) {
    Map<String, String> metadata = new TreeMap<>();
    payload
        .getMetadataMap()
        .forEach((key, value) -> metadata.put(key, BASE64.encodeToString(value.toByteArray())));
    return new CodecPayload(metadata, BASE64.encodeToString(payload.getData().toByteArray()));
  }

  private static final Base64.Encoder BASE64 = Base64.getEncoder();
}
