package io.tally.tenancy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers tokens that passed the whole check, so the next request with the same token skips
 * parsing it and verifying its signature (the RS256 check was 7% of a cache hit's time, parsing the
 * token to find its issuer and hashing it another 9% of a trivial request's). An entry lives until
 * the token's {@code exp}, never longer than the key-set time-to-live, and is dropped when its
 * issuer's key set, as last fetched, no longer holds the token's {@code kid}. A token that failed is
 * never remembered, so it fails again the full way.
 * <p>
 * Keyed by the token itself: the decoded {@link Jwt} holds the token's value anyway, so a hash as
 * the key would hide nothing and cost a SHA-256 per request.
 */
final class RememberedTokens implements JwtDecoder {

	private final JwtDecoder delegate;

	private final KeySets keySets;

	private final Duration maxLifetime;

	private final Clock clock;

	private final Cache<String, Jwt> tokens;

	/**
	 * @param delegate the decoder that checks signature and claims
	 * @param keySets whether an issuer's current key set holds a key id; answered from the cached
	 * key set, fetched again only when that expires
	 * @param maxLifetime the longest an entry lives, the key-set time-to-live
	 * @param maxTokens how many tokens are remembered at most
	 * @param clock the time that {@code exp} is compared with
	 */
	RememberedTokens(JwtDecoder delegate, KeySets keySets, Duration maxLifetime, long maxTokens, Clock clock) {
		this.delegate = delegate;
		this.keySets = keySets;
		this.maxLifetime = maxLifetime;
		this.clock = clock;
		this.tokens = Caffeine.newBuilder()
			.maximumSize(maxTokens)
			.ticker(ticker(clock))
			.expireAfter(Expiry.<String, Jwt>creating((key, jwt) -> lifetime(jwt)))
			.build();
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		Jwt remembered = this.tokens.getIfPresent(token);
		if (remembered != null && stillSigned(remembered)) {
			return remembered;
		}
		if (remembered != null) {
			this.tokens.invalidate(token);
		}
		Jwt jwt = this.delegate.decode(token);
		this.tokens.put(token, jwt);
		return jwt;
	}

	/** How many tokens are remembered now. */
	long size() {
		this.tokens.cleanUp();
		return this.tokens.estimatedSize();
	}

	private boolean stillSigned(Jwt jwt) {
		Object kid = jwt.getHeaders().get("kid");
		return !(kid instanceof String id) || this.keySets.holds(jwt.getClaimAsString("iss"), id);
	}

	private Duration lifetime(Jwt jwt) {
		Instant expiresAt = jwt.getExpiresAt();
		if (expiresAt == null) {
			return Duration.ZERO;
		}
		Duration untilExpiry = Duration.between(this.clock.instant(), expiresAt);
		if (untilExpiry.isNegative()) {
			return Duration.ZERO;
		}
		return (untilExpiry.compareTo(this.maxLifetime) < 0) ? untilExpiry : this.maxLifetime;
	}

	/** Whether an issuer's key set, as last fetched, still holds a key id. */
	@FunctionalInterface
	interface KeySets {

		boolean holds(String issuer, String kid);

	}

	/** Entries expire on the clock that {@code exp} is compared with. */
	private static Ticker ticker(Clock clock) {
		return () -> clock.millis() * 1_000_000L;
	}

}
