package io.tally.tenancy;

import java.time.Duration;
import java.util.List;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which other origins' pages may call Tally from a browser, for customer portals served from
 * their own domain.
 *
 * @param allowedOrigins Origins (scheme, host and port, e.g. {@code https://portal.example.com})
 * whose pages may call the GraphQL endpoint; empty allows none, {@code *} any
 * @param allowCredentials Whether browsers may send cookies along; Tally reads bearer tokens, so
 * portals do not need it, and it is refused together with {@code *}
 * @param maxAge How long a browser may reuse a preflight answer
 */
@Validated
@ConfigurationProperties("tally.http.cors")
public record HttpCorsProperties(@DefaultValue List<String> allowedOrigins, @DefaultValue("false") boolean allowCredentials,
		@DefaultValue("30m") @NotNull Duration maxAge) {

	/** A wildcard with credentials would let every site act with a user's cookies. */
	@AssertTrue(message = "tally.http.cors.allow-credentials cannot be true while allowed-origins contains '*'")
	public boolean isCredentialsWithoutWildcard() {
		return !this.allowCredentials || !this.allowedOrigins.contains("*");
	}

}
