package io.memberflow.service.web;

import io.memberflow.service.errors.ApiException;
import java.lang.reflect.Type;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.converter.json.AbstractJackson2HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * JSON bodies are UTF-8 (RFC 8259, and the API's document): one declared in another charset is
 * refused with 415 before it is read; Jackson would decode it as declared, taking bodies the
 * document refuses. A body that names no charset is UTF-8.
 */
@ControllerAdvice
public class Utf8Json extends RequestBodyAdviceAdapter {

  @Override
  public boolean supports(
      MethodParameter parameter,
      Type targetType,
      Class<? extends HttpMessageConverter<?>> converterType) {
    return AbstractJackson2HttpMessageConverter.class.isAssignableFrom(converterType);
  }

  @Override
  public HttpInputMessage beforeBodyRead(
      HttpInputMessage body,
      MethodParameter parameter,
      Type targetType,
      Class<? extends HttpMessageConverter<?>> converterType) {
    MediaType declared = body.getHeaders().getContentType();
    Charset charset = declared == null ? null : declared.getCharset();
    if (charset != null && !charset.equals(StandardCharsets.UTF_8)) {
      throw new ApiException(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "Unsupported Media Type",
          "the body must be UTF-8 JSON: Content-Type application/json, with no charset or charset=utf-8, not "
              + charset.name());
    }
    return body;
  }
}
