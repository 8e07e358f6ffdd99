package io.memberflow.sandbox;

import java.util.List;

/** An institution of the sandbox; only those with {@code supportsOAuth} accept OAuth members. */
public record Institution(String code, String name, boolean supportsOAuth) {

  /** MX's own sandbox names: {@code mx_bank_oauth} speaks OAuth, {@code mxbank} does not. */
  public static final List<Institution> DEFAULTS =
      List.of(
          new Institution("mx_bank_oauth", "MX Bank (OAuth)", true),
          new Institution("mx_credit_union_oauth", "MX Credit Union (OAuth)", true),
          new Institution("mxbank", "MX Bank", false));
}
