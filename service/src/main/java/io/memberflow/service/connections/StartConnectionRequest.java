package io.memberflow.service.connections;

import io.memberflow.workflows.mx.ReferralSource;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /v1/connections}.
 *
 * @param userId the client's own id for the MX user
 * @param memberId the client's own id for the MX member; it is also the connection's id, so it must
 *     be unique across the deployment
 * @param institutionCode the MX institution code
 * @param referralSource BROWSER (default) or APP
 * @param clientRedirectUrl APP only: where MX sends the user at the end of OAuth
 * @param uiMessageWebviewUrlScheme APP only: the app's URL scheme
 * @param mxApi {@code platform}, {@code atrium} or {@code nexus}; the deployment's default if unset
 */
public record StartConnectionRequest(
    @NotNull @Pattern(regexp = ID, message = ID_RULE) String userId,
    @NotNull @Pattern(regexp = ID, message = ID_RULE) String memberId,
    @NotNull @Pattern(regexp = INSTITUTION_CODE, message = INSTITUTION_CODE_RULE)
        String institutionCode,
    ReferralSource referralSource,
    Boolean skipAggregation,
    @Size(max = 2048)
        @Pattern(regexp = "https?://\\S+", message = "must be an absolute http(s) URL")
        String clientRedirectUrl,
    @Size(max = 64) @Pattern(regexp = "[a-zA-Z][a-zA-Z0-9+.-]*", message = "must be a URL scheme")
        String uiMessageWebviewUrlScheme,
    Boolean enableApp2app,
    @Size(max = 32) String mxApi) {

  /** Ids begin with a letter or digit, so that none is {@code .} or {@code ..} in a URL path. */
  static final String ID = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

  static final String ID_RULE =
      "must be 1 to 128 letters, digits, '.', '_' or '-', beginning with a letter or digit";
  static final String INSTITUTION_CODE = "[a-z0-9_]{1,64}";
  static final String INSTITUTION_CODE_RULE =
      "must be an MX institution code: lowercase letters, digits, _";
}
