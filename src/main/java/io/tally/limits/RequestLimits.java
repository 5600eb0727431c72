package io.tally.limits;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.tally.graphql.GraphQlLimitsProperties;
import io.tally.tenancy.CallerDecision;

import org.springframework.stereotype.Component;

/**
 * The limits a caller is held to ({@code tally.limits}, overrides applied) and each one's token
 * bucket (Bucket4j): a tenant's requests drain a bucket of their own, and an override's callers
 * (admins, a partner) one of theirs, so they never use up the tenant's own users' share.
 */
@Component
public class RequestLimits {

	private final Cache<CallerLimits, Bucket> buckets = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofMinutes(10))
		.build();

	private final LimitsProperties limits;

	private final int defaultMaxReportFields;

	private final LimitRejections rejections;

	RequestLimits(LimitsProperties limits, GraphQlLimitsProperties graphQl, LimitRejections rejections) {
		this.limits = limits;
		this.defaultMaxReportFields = graphQl.maxReportFields();
		this.rejections = rejections;
	}

	/** The limits this caller is held to. */
	public CallerLimits of(CallerDecision caller) {
		return CallerLimits.of(caller, this.limits, this.defaultMaxReportFields);
	}

	/**
	 * Takes one request from the caller's bucket.
	 * @return 0 when the request may go on, otherwise the seconds to wait before the next one
	 */
	public long take(CallerLimits caller) {
		ConsumptionProbe probe = this.buckets.get(caller, CallerLimits::bucket).tryConsumeAndReturnRemaining(1);
		if (probe.isConsumed()) {
			return 0;
		}
		this.rejections.count("rate");
		return Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
	}

}
