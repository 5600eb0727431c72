package io.tally.tenancy;

import java.util.List;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

/**
 * An issuer whose keys the application holds itself (the demo's), trusted only when no issuer
 * is configured. Its tokens meet the same {@link TokenPolicy} as any other issuer's.
 *
 * @param issuer the exact {@code iss} of its tokens
 * @param audiences the audiences its tokens must name one of
 * @param keys its public keys
 */
public record ApplicationIssuer(String issuer, List<String> audiences, JWKSource<SecurityContext> keys) {
}
