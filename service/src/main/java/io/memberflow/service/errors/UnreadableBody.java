package io.memberflow.service.errors;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Why a body could not be read, in the caller's terms: the JSON field and what it must be.
 * Jackson's own messages name Java types and classes, which mean nothing to a client and tell an
 * attacker about the inside, so none of their text is passed on.
 */
final class UnreadableBody {

  private UnreadableBody() {}

  static String reason(Throwable cause) {
    if (cause instanceof UnrecognizedPropertyException unknown) {
      return "unknown field "
          + field(unknown)
          + "; the fields are "
          + unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
    }
    if (cause instanceof MismatchedInputException mismatch) {
      String message = String.valueOf(mismatch.getOriginalMessage());
      if (message.startsWith("Trailing token")) {
        return "the body must be one JSON value, with nothing after it";
      }
      if (mismatch.getPath().isEmpty()) {
        return "the body must be " + expected(mismatch.getTargetType());
      }
      return field(mismatch) + " must be " + expected(mismatch.getTargetType());
    }
    if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      return field(mapping) + " has a value that cannot be read";
    }
    if (cause instanceof JsonProcessingException json) {
      JsonLocation at = json.getLocation();
      return at == null
          ? "the body is not valid JSON"
          : "the body is not valid JSON (line "
              + at.getLineNr()
              + ", column "
              + at.getColumnNr()
              + ")";
    }
    return "a JSON body is required";
  }

  /** The field as the caller wrote it: {@code metadata.member_guid}, {@code items[2]}. */
  private static String field(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.isEmpty() ? "the body" : path.toString();
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "of another JSON type";
    }
    if (type.isEnum()) {
      return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).toList();
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (List.of(Integer.class, int.class, Long.class, long.class, Short.class, short.class)
        .contains(type)) {
      return "a whole number";
    }
    if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
      return "a number";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }
}
