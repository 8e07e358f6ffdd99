package io.memberflow.service;

import io.memberflow.service.security.ApiSecurity;
import io.memberflow.service.security.BrowserTokens;
import io.memberflow.service.security.CodecSessions;
import io.memberflow.service.security.DevelopmentKeys;
import io.memberflow.service.security.EncryptionProperties;
import io.memberflow.service.security.SecurityProperties;
import io.memberflow.service.web.ApiProperties;
import io.memberflow.service.web.FrontendProperties;
import io.memberflow.service.web.StrictJson;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * What a {@code @WebMvcTest} of the API needs beside its controllers: security and JSON as the
 * service has them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Import({
  ApiSecurity.class,
  BrowserTokens.class,
  DevelopmentKeys.class,
  CodecSessions.class,
  StrictJson.class
})
@EnableConfigurationProperties({
  SecurityProperties.class,
  FrontendProperties.class,
  EncryptionProperties.class,
  ApiProperties.class
})
public @interface ApiSlice {}
