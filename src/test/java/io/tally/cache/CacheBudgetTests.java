package io.tally.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The budget on its own, with real Caffeine caches and a real meter registry: tenants' shares,
 * the weights that hold it, answers too large to keep. Entries here weigh 10 kB each (plus the
 * entry overhead), so a 1 MB budget holds about 100 of them.
 */
class CacheBudgetTests {

	private static final long ENTRY = 10_000;

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final CacheBudget budget = new CacheBudget(
			new CacheProperties(true, DataSize.ofMegabytes(1), 0.05, Duration.ofHours(1), true, 0, 1), this.meters,
			Clock.systemUTC());

	@Test
	void aTenantFloodingDistinctAnswersEvictsItsOwnAndLeavesAQuietTenantsHotOnes() {
		for (int i = 0; i < 10; i++) {
			keep("quiet", i);
		}
		for (int i = 0; i < 1_000; i++) {
			keep("loud", i);
			// The quiet tenant keeps asking for its few answers meanwhile.
			assertThat(this.budget.get("quiet", "answer-" + (i % 10))).isNotNull();
		}

		assertThat(kept("quiet")).as("quiet tenant's answers still kept").isEqualTo(10);
		assertThat(kept("loud")).isBetween(80, 95);
		assertThat(this.budget.usedBytes()).isLessThanOrEqualTo(this.budget.maxBytes());
		assertThat(evictions("share")).isEqualTo(1_000 - kept("loud"));
		assertThat(evictions("size")).isZero();
	}

	@Test
	void aTenantAloneMayUseTheWholeBudget() {
		for (int i = 0; i < 200; i++) {
			keep("alone", i);
		}

		assertThat(kept("alone")).isBetween(95, 103);
		assertThat(this.budget.usedBytes()).isBetween(this.budget.maxBytes() - 2 * (ENTRY + CacheBudget.ENTRY_BYTES),
				this.budget.maxBytes());
	}

	@Test
	void aQuietTenantGrowingToItsShareTakesItFromTheLargest() {
		for (int i = 0; i < 200; i++) {
			keep("loud", i);
		}
		for (int i = 0; i < 40; i++) {
			keep("quiet", i);
		}

		assertThat(kept("quiet")).as("under its half of the budget, nothing of its own is evicted").isEqualTo(40);
		assertThat(kept("loud")).isBetween(45, 65);
		assertThat(this.budget.usedBytes()).isLessThanOrEqualTo(this.budget.maxBytes());
	}

	@Test
	void whenEveryTenantIsWithinItsShareTheWriterMakesRoomForItself() {
		for (int tenant = 0; tenant < 4; tenant++) {
			for (int i = 0; i < 23; i++) {
				keep("tenant-" + tenant, i);
			}
		}
		// Each holds about a quarter; one more answer is paid for by its own tenant.
		keep("tenant-0", 100);
		keep("tenant-0", 101);

		assertThat(this.budget.get("tenant-0", "answer-101")).isNotNull();
		assertThat(kept("tenant-1")).isEqualTo(23);
		assertThat(kept("tenant-2")).isEqualTo(23);
		assertThat(this.budget.usedBytes()).isLessThanOrEqualTo(this.budget.maxBytes());
	}

	@Test
	void anAnswerLargerThanItsFractionOfTheBudgetIsNotKept() {
		// 5% of 1 MB is 52,428 bytes.
		assertThat(this.budget.keep(CacheKind.ANSWERS, "tenant", "huge", "value", 60_000, Duration.ofHours(1)))
			.isFalse();
		assertThat(this.budget.keep(CacheKind.ANSWERS, "tenant", "fits", "value", 50_000, Duration.ofHours(1)))
			.isTrue();

		assertThat(this.budget.get("tenant", "huge")).isNull();
		assertThat(this.budget.get("tenant", "fits")).isEqualTo("value");
		assertThat(this.meters.counter("tally.cache.budget.oversize", "cache", "answers").count()).isEqualTo(1);
	}

	@Test
	void theBudgetHoldsUnderConcurrentWritersAndItsTotalIsTheSumOfTheWeights() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<Future<?>> writers = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				int thread = t;
				writers.add(threads.submit(() -> {
					for (int i = 0; i < 500; i++) {
						keep("tenant-" + (i % 13), thread * 1_000 + i);
					}
				}));
			}
			for (Future<?> writer : writers) {
				writer.get();
			}
		}
		finally {
			threads.shutdownNow();
		}

		long weighed = this.budget.stores().stream().mapToLong(store -> {
			store.settle();
			return TenantStore.EMPTY_BYTES + store.entries().values().stream().mapToLong(TenantStore.Kept::weight).sum();
		}).sum();
		assertThat(this.budget.usedBytes()).isEqualTo(weighed).isLessThanOrEqualTo(this.budget.maxBytes());
		assertThat(this.meters.get("tally.cache.bytes").tag("cache", "answers").gauge().value())
			.isEqualTo(weighed - TenantStore.EMPTY_BYTES * this.budget.stores().size());
	}

	@Test
	void removingEntriesByKeyCountsTheCauseAndLetsEmptyTenantsGo() {
		keep("tenant", 1);
		keep("tenant", 2);

		this.budget.removeIf(CacheKind.ANSWERS, key -> true, "refresh");

		assertThat(this.budget.get("tenant", "answer-1")).isNull();
		assertThat(this.budget.usedBytes()).isZero();
		assertThat(this.budget.stores()).isEmpty();
		assertThat(evictions("refresh")).isEqualTo(2);
	}

	private void keep(String tenant, int answer) {
		this.budget.keep(CacheKind.ANSWERS, tenant, "answer-" + answer, "data", ENTRY, Duration.ofHours(1));
	}

	private int kept(String tenant) {
		return (int) this.budget.stores()
			.stream()
			.filter(store -> store.tenant.equals(tenant))
			.mapToLong(store -> store.entries().size())
			.sum();
	}

	private double evictions(String cause) {
		return this.meters.counter("tally.cache.budget.evictions", "cache", "answers", "cause", cause).count();
	}

}
