package io.memberflow.service.encryption;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.memberflow.service.errors.ApiException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.payload.codec.PayloadCodecException;
import java.util.List;
import java.util.function.UnaryOperator;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Temporal's remote codec protocol, for operators only (an operator API key): the Temporal CLI
 * ({@code --codec-endpoint …/codec --codec-auth 'Bearer <key>'}) and the Web UI decode the
 * encrypted payloads of histories here, so no one needs the keys themselves.
 */
@RestController
public class CodecEndpoint {

  private final PayloadEncryption encryption;

  public CodecEndpoint(PayloadEncryption encryption) {
    this.encryption = encryption;
  }

  @PostMapping(path = "/codec/decode", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
  public String decode(@RequestBody String payloads) {
    return apply(payloads, encryption::decode);
  }

  @PostMapping(path = "/codec/encode", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
  public String encode(@RequestBody String payloads) {
    return apply(payloads, encryption::encode);
  }

  private static String apply(String body, UnaryOperator<List<Payload>> codec) {
    Payloads.Builder payloads = Payloads.newBuilder();
    try {
      JsonFormat.parser().merge(body, payloads);
      return JsonFormat.printer().print(Payloads.newBuilder().addAllPayloads(codec.apply(payloads.getPayloadsList())));
    } catch (InvalidProtocolBufferException e) {
      throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid payloads",
          "the body must be {\"payloads\":[{\"metadata\":{…},\"data\":\"<base64>\"}]}");
    } catch (PayloadCodecException e) {
      throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "Cannot decode",
          "a payload could not be decrypted with the configured keys");
    }
  }
}
