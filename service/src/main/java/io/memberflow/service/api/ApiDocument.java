package io.memberflow.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The API's OpenAPI document, written by hand in {@code openapi/memberflow.yaml} as the contract
 * the code keeps (the API tests check every exchange against it, schemathesis the running service).
 * Served as written, and as JSON for tools that want JSON.
 */
@RestController
public class ApiDocument {

  static final String LOCATION = "openapi/memberflow.yaml";

  private final String yaml;
  private final JsonNode json;

  public ApiDocument() {
    try (InputStream in = new ClassPathResource(LOCATION).getInputStream()) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      json = new YAMLMapper().readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException("the OpenAPI document " + LOCATION + " cannot be read", e);
    }
  }

  @GetMapping(path = "/v3/api-docs", produces = MediaType.APPLICATION_JSON_VALUE)
  public JsonNode json() {
    return json;
  }

  @GetMapping(path = "/v3/api-docs.yaml", produces = "application/yaml")
  public ResponseEntity<String> yaml() {
    return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/yaml")).body(yaml);
  }
}
