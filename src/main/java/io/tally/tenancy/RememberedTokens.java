package io.tally.tenancy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers tokens that passed the whole check, so the next request with the same token skips the
 * signature verification (the RS256 check was 7% of a cache hit's time). An entry lives until the
 * token's {@code exp}, never longer than the key-set time-to-live, and is dropped when the issuer's
 * key set, as last fetched, no longer holds the token's {@code kid}. A token that failed is never
 * remembered, so it fails again the full way.
 */
final class RememberedTokens implements JwtDecoder {

	private final JwtDecoder delegate;

	private final Predicate<String> keySetHolds;

	private final Duration maxLifetime;

	private final Clock clock;

	private final Cache<ByteBuffer, Jwt> tokens;

	/**
	 * @param delegate the decoder that checks signature and claims
	 * @param keySetHolds whether the issuer's current key set holds a key id; answered from the
	 * cached key set, fetched again only when that expires
	 * @param maxLifetime the longest an entry lives, the key-set time-to-live
	 * @param maxTokens how many tokens are remembered at most
	 * @param clock the time that {@code exp} is compared with
	 */
	RememberedTokens(JwtDecoder delegate, Predicate<String> keySetHolds, Duration maxLifetime, long maxTokens,
			Clock clock) {
		this.delegate = delegate;
		this.keySetHolds = keySetHolds;
		this.maxLifetime = maxLifetime;
		this.clock = clock;
		this.tokens = Caffeine.newBuilder()
			.maximumSize(maxTokens)
			.ticker(ticker(clock))
			.expireAfter(Expiry.<ByteBuffer, Jwt>creating((key, jwt) -> lifetime(jwt)))
			.build();
	}

	@Override
	public Jwt decode(String token) throws JwtException {
		ByteBuffer key = sha256(token);
		Jwt remembered = this.tokens.getIfPresent(key);
		if (remembered != null && stillSigned(remembered)) {
			return remembered;
		}
		if (remembered != null) {
			this.tokens.invalidate(key);
		}
		Jwt jwt = this.delegate.decode(token);
		this.tokens.put(key, jwt);
		return jwt;
	}

	/** How many tokens are remembered now. */
	long size() {
		this.tokens.cleanUp();
		return this.tokens.estimatedSize();
	}

	private boolean stillSigned(Jwt jwt) {
		Object kid = jwt.getHeaders().get("kid");
		return !(kid instanceof String id) || this.keySetHolds.test(id);
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

	/** A hash, not the token: the cache never holds a usable bearer credential. */
	private static ByteBuffer sha256(String token) {
		try {
			return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every Java platform has SHA-256", ex);
		}
	}

	/** Entries expire on the clock that {@code exp} is compared with. */
	private static Ticker ticker(Clock clock) {
		return () -> clock.millis() * 1_000_000L;
	}

}
