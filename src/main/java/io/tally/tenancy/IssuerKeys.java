package io.tally.tenancy;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.JSONObjectUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An issuer's published keys, cached, and fetched again for an unknown {@code kid} at most once
 * per minimum refresh interval. Spring Security's own key source fetches again for every unknown
 * {@code kid}, which lets anyone make Tally hammer the identity provider with made-up tokens.
 * Without a key-set URI the issuer's discovery document names it, read on first use (so Tally
 * starts while the identity provider is down) and no more often than key sets are.
 */
final class IssuerKeys implements JWKSource<SecurityContext> {

	private static final Logger logger = LoggerFactory.getLogger(IssuerKeys.class);

	/** Timeouts and size limit of one fetch, in milliseconds and bytes. */
	private static final int CONNECT_TIMEOUT = 2_000;

	private static final int READ_TIMEOUT = 2_000;

	private static final int SIZE_LIMIT = 256 * 1024;

	private static final List<String> DISCOVERY_PATHS = List.of("/.well-known/openid-configuration",
			"/.well-known/oauth-authorization-server");

	private final String issuer;

	private final URI jwkSetUri;

	private final TenancyProperties properties;

	private final DefaultResourceRetriever retriever = new DefaultResourceRetriever(CONNECT_TIMEOUT, READ_TIMEOUT,
			SIZE_LIMIT);

	private volatile JWKSource<SecurityContext> keys;

	private volatile long lastDiscovery;

	/**
	 * @param jwkSetUri where the keys are, or null to read it from the issuer's discovery document
	 */
	IssuerKeys(String issuer, URI jwkSetUri, TenancyProperties properties) {
		this.issuer = issuer;
		this.jwkSetUri = jwkSetUri;
		this.properties = properties;
		if (jwkSetUri != null) {
			this.keys = source(toUrl(jwkSetUri));
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
		JWKSource<SecurityContext> source = this.keys;
		if (source == null) {
			try {
				source = discover();
			}
			catch (KeySourceException ex) {
				// Until the issuer can be discovered its tokens cannot be verified: invalid (401).
				logger.warn("Cannot discover the keys of issuer {}: {}", this.issuer, ex.getMessage());
			}
		}
		if (source == null) {
			return List.of();
		}
		try {
			return source.get(selector, context);
		}
		catch (RateLimitReachedException ex) {
			// No key found, so the token is an invalid one (401), not a server error (500).
			return List.of();
		}
	}

	private synchronized JWKSource<SecurityContext> discover() throws KeySourceException {
		if (this.keys != null) {
			return this.keys;
		}
		long now = System.currentTimeMillis();
		if (now - this.lastDiscovery < this.properties.jwkSetMinRefreshInterval().toMillis()) {
			return null;
		}
		this.lastDiscovery = now;
		String base = this.issuer.endsWith("/") ? this.issuer.substring(0, this.issuer.length() - 1) : this.issuer;
		KeySourceException failure = null;
		for (String path : DISCOVERY_PATHS) {
			try {
				Map<String, Object> metadata = JSONObjectUtils
					.parse(this.retriever.retrieveResource(toUrl(URI.create(base + path))).getContent());
				if (!this.issuer.equals(metadata.get("issuer"))) {
					throw new KeySourceException("The discovery document at " + base + path + " names issuer '"
							+ metadata.get("issuer") + "', not '" + this.issuer + "'");
				}
				if (!(metadata.get("jwks_uri") instanceof String jwks)) {
					throw new KeySourceException("The discovery document at " + base + path + " has no jwks_uri");
				}
				this.keys = source(toUrl(URI.create(jwks)));
				return this.keys;
			}
			catch (IOException | ParseException | IllegalArgumentException ex) {
				failure = new KeySourceException("Cannot read " + base + path + ": " + ex.getMessage(), ex);
			}
		}
		throw failure;
	}

	private JWKSource<SecurityContext> source(URL url) {
		return JWKSourceBuilder.<SecurityContext>create(url, this.retriever)
			.cache(this.properties.jwkSetCacheTimeToLive().toMillis(), CONNECT_TIMEOUT + READ_TIMEOUT)
			.refreshAheadCache(false)
			.rateLimited(this.properties.jwkSetMinRefreshInterval().toMillis())
			.retrying(false)
			.build();
	}

	private static URL toUrl(URI uri) {
		try {
			return uri.toURL();
		}
		catch (MalformedURLException | IllegalArgumentException ex) {
			throw new IllegalStateException("Cannot fetch keys from '" + uri + "'", ex);
		}
	}

}
