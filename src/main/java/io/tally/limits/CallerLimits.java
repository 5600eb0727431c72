package io.tally.limits;

import java.time.Duration;
import java.util.List;

import io.github.bucket4j.Bucket;
import io.tally.tenancy.CallerDecision;

/**
 * The limits that apply to one request's caller, and the key its tenant's bucket and read slots
 * are kept under: the tenant, plus which override applied, so admins or a partner reading a
 * tenant never use up that tenant's own users' share.
 *
 * @param key what the bucket and read slots are kept under
 * @param requestsPerSecond the steady request rate
 * @param burst the burst above it
 * @param concurrentReads report reads at once
 * @param maxReportFields report fields per request
 */
public record CallerLimits(String key, int requestsPerSecond, int burst, int concurrentReads, int maxReportFields) {

	static CallerLimits of(CallerDecision requester, LimitsProperties limits, int defaultMaxReportFields) {
		// A caller whose tenant is not settled (it will be refused per field) is limited on its own.
		String who = (requester.tenant() != null) ? "tenant:" + requester.tenant()
				: "caller:" + requester.issuer() + "|" + requester.subject();
		List<LimitsProperties.Override> overrides = limits.overrides();
		for (int i = 0; i < overrides.size(); i++) {
			LimitsProperties.Override override = overrides.get(i);
			if (matches(override, requester)) {
				return new CallerLimits(who + "|override:" + i, orElse(override.requestsPerSecond(), limits.requestsPerSecond()),
						orElse(override.burst(), limits.burst()), orElse(override.concurrentReads(), limits.concurrentReads()),
						orElse(override.maxReportFields(), defaultMaxReportFields));
			}
		}
		return new CallerLimits(who, limits.requestsPerSecond(), limits.burst(), limits.concurrentReads(),
				defaultMaxReportFields);
	}

	/** A full bucket for these limits: {@code burst} requests at once, refilled at the steady rate. */
	Bucket bucket() {
		return Bucket.builder()
			.addLimit(limit -> limit.capacity(this.burst).refillGreedy(this.requestsPerSecond, Duration.ofSeconds(1)))
			.build();
	}

	private static boolean matches(LimitsProperties.Override override, CallerDecision requester) {
		return (override.issuer() == null || override.issuer().equals(requester.issuer()))
				&& (override.role() == null || requester.roles().contains(override.role()));
	}

	private static int orElse(Integer value, int fallback) {
		return (value != null) ? value : fallback;
	}

}
