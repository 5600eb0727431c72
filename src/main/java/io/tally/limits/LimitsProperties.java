package io.tally.limits;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What one tenant may use, so that it cannot slow the others: a request rate and a number of
 * database reads at once, each per tenant, with overrides for callers of a given issuer or role.
 * The cap on report fields per request is {@code tally.graphql.max-report-fields}.
 *
 * @param requestsPerSecond The steady rate of GraphQL requests one tenant may send
 * @param burst How many requests one tenant may send at once above the steady rate
 * @param concurrentReads How many report reads of one tenant may run in the database at once
 * @param readWait How long a report read waits for one of its tenant's read slots before it is
 * refused
 * @param overrides Different limits for callers of an issuer or with a role (admins, partners);
 * the first that matches applies, and its callers have buckets of their own
 * @param rejectionDelay How long a request over its tenant's rate waits for its 429, so a client
 * that retries at once, ignoring {@code Retry-After}, sends no more than one request per delay and
 * loop; zero answers at once
 * @param maxHeldRejections How many 429s this instance holds back at once; past that they are
 * answered at once
 */
@Validated
@ConfigurationProperties("tally.limits")
public record LimitsProperties(@DefaultValue("50") @Min(1) int requestsPerSecond, @DefaultValue("100") @Min(1) int burst,
		@DefaultValue("4") @Min(1) int concurrentReads, @DefaultValue("250ms") @NotNull Duration readWait,
		@DefaultValue List<@Valid Override> overrides, @DefaultValue("1s") @NotNull Duration rejectionDelay,
		@DefaultValue("1000") @Min(0) int maxHeldRejections) {

	/**
	 * Limits for some callers; each absent limit keeps the default.
	 *
	 * @param issuer The exact {@code iss} of the callers it applies to; absent for any issuer
	 * @param role The role the callers must hold; absent for any role
	 * @param requestsPerSecond Their steady request rate per tenant; absent, {@code tally.limits.requests-per-second}
	 * @param burst Their burst above that rate per tenant; absent, {@code tally.limits.burst}
	 * @param concurrentReads Their report reads at once per tenant; absent, {@code tally.limits.concurrent-reads}
	 * @param maxReportFields Their report fields per request; absent, {@code tally.graphql.max-report-fields}
	 */
	public record Override(String issuer, String role, @Min(1) Integer requestsPerSecond, @Min(1) Integer burst,
			@Min(1) Integer concurrentReads, @Min(1) Integer maxReportFields) {
	}

}
