package io.memberflow.sandbox;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

/** One webhook the sandbox inbox received, and whether its signature checked out. */
public record ReceivedWebhook(
    @JsonProperty("webhook_id") String webhookId,
    String type,
    @JsonProperty("signature_valid") boolean signatureValid,
    JsonNode payload) {}
