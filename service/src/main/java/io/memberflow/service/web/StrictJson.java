package io.memberflow.service.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import org.springframework.boot.autoconfigure.jackson.Jackson2ObjectMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * JSON is read as written: a field takes only its own JSON type ({@code 12345} is not a string,
 * {@code 1} not a boolean, {@code "2"} not a number), a body is one JSON value with nothing after
 * it, and a field the body's type does not have is refused. Bodies MX defines (its webhooks) say
 * otherwise on their types, because MX adds fields without notice.
 */
@Configuration(proxyBeanMethods = false)
public class StrictJson {

  @Bean
  Jackson2ObjectMapperBuilderCustomizer readAsWritten() {
    return builder ->
        builder
            .featuresToDisable(
                MapperFeature.ALLOW_COERCION_OF_SCALARS, DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .featuresToEnable(
                DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            // Disabling scalar coercion leaves strings alone: numbers and booleans must not become
            // text.
            .postConfigurer(
                mapper ->
                    mapper
                        .coercionConfigFor(LogicalType.Textual)
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
  }
}
