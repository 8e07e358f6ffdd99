package io.memberflow.workflows.mx;

/**
 * MX's webhook about a member, as the connection hears it: only a reason to read MX now. The
 * connection never acts on what a webhook says, since webhooks arrive late, twice and out of order;
 * it reads the member's current status instead.
 *
 * @param memberGuid the member MX wrote about
 * @param type MX's webhook type, e.g. {@code MEMBER}, {@code CONNECTION_STATUS}, {@code
 *     AGGREGATION} (for logs and metrics)
 */
public record MxMemberNews(String memberGuid, String type) {}
