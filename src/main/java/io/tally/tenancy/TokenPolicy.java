package io.tally.tenancy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;

/**
 * The one set of rules every token meets, whichever issuer signed it and however that issuer is
 * configured: {@code iss} is the issuer's exactly, {@code aud} names one of its audiences,
 * {@code exp} is present and not past, {@code nbf} not ahead, {@code sub} present, the lifetime
 * at most {@code tally.tenancy.max-token-lifetime}, and {@code typ} absent, {@code JWT} or
 * {@code at+jwt}. The signature is checked before any of these.
 */
final class TokenPolicy {

	private TokenPolicy() {
	}

	static OAuth2TokenValidator<Jwt> of(String issuer, List<String> audiences, TenancyProperties properties) {
		JwtTimestampValidator timestamps = new JwtTimestampValidator(properties.clockSkew());
		timestamps.setAllowEmptyExpiryClaim(false);
		JwtTypeValidator type = new JwtTypeValidator("JWT", "at+jwt");
		type.setAllowEmpty(true);
		return new DelegatingOAuth2TokenValidator<>(List.of(new JwtIssuerValidator(issuer), anyAudience(audiences),
				timestamps, type, subjectRequired(), maxLifetime(properties.maxTokenLifetime(), properties.clockSkew())));
	}

	/** Spring Security's audience check, passing when any one configured audience is in the token. */
	private static OAuth2TokenValidator<Jwt> anyAudience(List<String> audiences) {
		List<JwtAudienceValidator> each = audiences.stream().map(JwtAudienceValidator::new).toList();
		return jwt -> each.stream()
			.map(validator -> validator.validate(jwt))
			.filter(result -> !result.hasErrors())
			.findFirst()
			.orElseGet(() -> invalid("The token's aud names none of " + audiences));
	}

	private static OAuth2TokenValidator<Jwt> subjectRequired() {
		return new JwtClaimValidator<String>(JwtClaimNames.SUB, subject -> subject != null && !subject.isBlank());
	}

	/**
	 * Measured from {@code nbf}, else {@code iat}, else now: a token without either is judged by
	 * what is left of it. Spring Security makes up {@code iat = exp - 1s} for a token without one,
	 * so that value counts as absent.
	 */
	private static OAuth2TokenValidator<Jwt> maxLifetime(Duration max, Duration skew) {
		return jwt -> {
			Instant expiry = jwt.getExpiresAt();
			Instant notBefore = jwt.getNotBefore();
			Instant issuedAt = jwt.getIssuedAt();
			if (issuedAt != null && expiry != null && issuedAt.equals(expiry.minusSeconds(1))) {
				issuedAt = null;
			}
			Instant start = (notBefore != null) ? notBefore : (issuedAt != null) ? issuedAt : Instant.now();
			if (expiry != null && Duration.between(start, expiry).compareTo(max.plus(skew)) > 0) {
				return invalid("The token is valid for " + Duration.between(start, expiry) + ", longer than the "
						+ max + " tally.tenancy.max-token-lifetime allows");
			}
			return OAuth2TokenValidatorResult.success();
		};
	}

	private static OAuth2TokenValidatorResult invalid(String description) {
		return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null));
	}

}
