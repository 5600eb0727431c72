package io.tally.limits;

import java.time.Duration;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import org.springframework.stereotype.Component;

/**
 * Each caller's token bucket (Bucket4j), one per {@link CallerLimits}, shared by requests over HTTP
 * and operations over a WebSocket so both drain the same share.
 */
@Component
class RequestBuckets {

	private final Cache<CallerLimits, Bucket> buckets = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofMinutes(10))
		.build();

	/** Takes one request from the caller's bucket; not consumed when it is empty. */
	ConsumptionProbe take(CallerLimits caller) {
		return this.buckets.get(caller, CallerLimits::bucket).tryConsumeAndReturnRemaining(1);
	}

	/** Whole seconds until the bucket of a refused request holds one again, at least one. */
	static long retryAfter(ConsumptionProbe refused) {
		return Math.max(1, Duration.ofNanos(refused.getNanosToWaitForRefill()).toSeconds() + 1);
	}

}
