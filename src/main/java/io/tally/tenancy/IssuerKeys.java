package io.tally.tenancy;

import java.net.MalformedURLException;
import java.net.URI;
import java.util.List;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;

/**
 * An issuer's published keys, cached, and fetched again for an unknown {@code kid} at most once
 * per minimum refresh interval. Spring Security's own key source fetches again for every unknown
 * {@code kid}, which lets anyone make Tally hammer the identity provider with made-up tokens.
 */
final class IssuerKeys implements JWKSource<SecurityContext> {

	/** Timeouts and size limit of one key-set fetch, in milliseconds and bytes. */
	private static final int CONNECT_TIMEOUT = 2_000;

	private static final int READ_TIMEOUT = 2_000;

	private static final int SIZE_LIMIT = 256 * 1024;

	private final JWKSource<SecurityContext> keys;

	IssuerKeys(URI jwkSetUri, TenancyProperties properties) {
		try {
			this.keys = JWKSourceBuilder
				.<SecurityContext>create(jwkSetUri.toURL(),
						new DefaultResourceRetriever(CONNECT_TIMEOUT, READ_TIMEOUT, SIZE_LIMIT))
				.cache(properties.jwkSetCacheTimeToLive().toMillis(), CONNECT_TIMEOUT + READ_TIMEOUT)
				.refreshAheadCache(false)
				.rateLimited(properties.jwkSetMinRefreshInterval().toMillis())
				.retrying(false)
				.build();
		}
		catch (MalformedURLException | IllegalArgumentException ex) {
			throw new IllegalStateException("Cannot fetch keys from '" + jwkSetUri + "'", ex);
		}
	}

	/**
	 * Whether the key set, as last fetched, still holds this key id; fetched again first when the
	 * cached set has expired. A key set that cannot be fetched holds nothing.
	 */
	boolean holds(String kid) {
		try {
			return !get(new JWKSelector(new JWKMatcher.Builder().keyID(kid).build()), null).isEmpty();
		}
		catch (KeySourceException ex) {
			return false;
		}
	}

	@Override
	public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
		try {
			return this.keys.get(selector, context);
		}
		catch (RateLimitReachedException ex) {
			// No key found, so the token is an invalid one (401), not a server error (500).
			return List.of();
		}
	}

}
