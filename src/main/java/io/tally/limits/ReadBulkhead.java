package io.tally.limits;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tally.graphql.TooManyRequestsException;
import io.tally.tracing.Spans;

import org.springframework.stereotype.Component;

/**
 * A few read slots per tenant: a report read that finds all of its tenant's slots taken waits up
 * to {@code tally.limits.read-wait} for one and is otherwise refused (a 429), so one tenant's
 * burst of uncached reads cannot take every database connection from the others. Only reads that
 * reach the database take a slot; cached answers never do.
 */
@Component
public class ReadBulkhead {

	private final Cache<CallerLimits, Semaphore> slots = Caffeine.newBuilder()
		.maximumSize(100_000)
		.expireAfterAccess(Duration.ofMinutes(10))
		.build();

	private final LimitsProperties limits;

	private final LimitRejections rejections;

	private final Spans spans;

	ReadBulkhead(LimitsProperties limits, LimitRejections rejections, Spans spans) {
		this.limits = limits;
		this.rejections = rejections;
		this.spans = spans;
	}

	/**
	 * Runs one database read of a tenant in one of its slots.
	 * @param caller the limits of the request's caller, from its request context
	 * @throws TooManyRequestsException when no slot frees up in time
	 */
	public <T> T read(CallerLimits caller, Supplier<T> read) {
		Semaphore semaphore = this.slots.get(caller, limits -> new Semaphore(limits.concurrentReads(), true));
		// The span is the wait alone; the read that follows is its sibling.
		boolean acquired = Spans.observe(this.spans.span("tally.read.slot", "read slot wait", null),
				() -> acquire(semaphore), taken -> taken ? "acquired" : "refused");
		if (!acquired) {
			this.rejections.count("reads");
			throw new TooManyRequestsException("This tenant already has " + caller.concurrentReads()
					+ " report reads running; retry in a moment");
		}
		try {
			return read.get();
		}
		finally {
			semaphore.release();
		}
	}

	private boolean acquire(Semaphore semaphore) {
		try {
			return semaphore.tryAcquire(this.limits.readWait().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

}
