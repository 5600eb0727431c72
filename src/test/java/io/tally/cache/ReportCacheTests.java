package io.tally.cache;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * The per-tenant cache on its own, with a real budget, Caffeine caches and meter registry: a
 * tenant flooding distinct queries evicts its own answers, concurrent misses on one key load once, and every get, load and
 * eviction is counted.
 */
class ReportCacheTests {

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final CacheProperties properties = new CacheProperties(true, DataSize.ofKilobytes(256), 0.05,
			Duration.ofHours(1), true, 0, 1);

	private final CacheBudget budget = new CacheBudget(this.properties, this.meters, Clock.systemUTC());

	private final ReportCache cache = new ReportCache(this.properties, this.budget, this.meters);

	@Test
	void aTenantFloodingDistinctQueriesEvictsOnlyItsOwnAnswers() {
		List<CacheKey> tenantB = new ArrayList<>();
		for (int day = 0; day < 20; day++) {
			tenantB.add(key("tenant-b", day));
			this.cache.get(tenantB.get(day), () -> "answer", HeapEstimate::of);
		}

		// Tenant A asks 2,000 distinct questions, each three times so they look hot to the cache.
		for (int day = 0; day < 2_000; day++) {
			for (int repeat = 0; repeat < 3; repeat++) {
				this.cache.get(key("tenant-a", day), () -> "flood", HeapEstimate::of);
			}
		}

		long hits = tenantB.stream().filter(key -> this.cache.get(key, () -> "reloaded", HeapEstimate::of).hit()).count();
		assertThat(hits).as("tenant B's hits out of 20").isEqualTo(20);
		assertThat(this.cache.size("tenant-b")).isEqualTo(20);
		assertThat(this.budget.usedBytes()).isLessThanOrEqualTo(this.budget.maxBytes());
		// About 500 of these small answers fit in 256 kB: tenant A gave back the rest itself.
		assertThat(this.cache.size("tenant-a")).isBetween(100L, 1_000L);
		assertThat(this.meters.counter("tally.cache.evictions", "report", "dailyRevenue", "cause", "share").count())
			.isEqualTo(2_000 - this.cache.size("tenant-a"));
	}

	@Test
	void hundredsOfConcurrentIdenticalColdLookupsRunTheLoaderOnce() throws Exception {
		int callers = 300;
		AtomicInteger loads = new AtomicInteger();
		CountDownLatch everyoneAsked = new CountDownLatch(1);
		ExecutorService threads = Executors.newFixedThreadPool(callers);
		try {
			List<CompletableFuture<ReportCache.Lookup<String>>> answers = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				answers.add(CompletableFuture.supplyAsync(() -> this.cache.get(key("tenant-c", 1), () -> {
					loads.incrementAndGet();
					waitFor(everyoneAsked);
					return "answer";
				}, HeapEstimate::of), threads));
			}
			// The one load finishes only once every other caller is waiting for it.
			await().atMost(Duration.ofSeconds(30)).until(() -> gets("hit") == callers - 1);
			everyoneAsked.countDown();

			assertThat(answers).allSatisfy(answer -> assertThat(answer.get(30, TimeUnit.SECONDS).value()).isEqualTo("answer"));
			assertThat(loads).hasValue(1);
			assertThat(this.meters.counter("tally.cache.loads", "report", "dailyRevenue").count()).isEqualTo(1);
			assertThat(gets("miss")).isEqualTo(1);
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void aFailedLoadIsNotKeptSoTheNextRequestTriesAgain() {
		assertThatIllegalStateException().isThrownBy(() -> this.cache.get(key("tenant-d", 1), () -> {
			throw new IllegalStateException("database unavailable");
		}, HeapEstimate::of));

		ReportCache.Lookup<String> retried = this.cache.get(key("tenant-d", 1), () -> "answer", HeapEstimate::of);
		assertThat(retried.hit()).isFalse();
		assertThat(retried.value()).isEqualTo("answer");
	}

	@Test
	void aRefreshEvictsEveryTenantsAnswersOfItsReportsOnlyAndCountsThem() {
		this.cache.get(key("tenant-e", 1), () -> "revenue", HeapEstimate::of);
		this.cache.get(key("tenant-f", 1), () -> "revenue", HeapEstimate::of);
		this.cache.get(new CacheKey("tenant-e", "planUsage", 1, Map.of(), Set.of("plans")), () -> "plans", HeapEstimate::of);
		assertThat(this.meters.get("tally.cache.size").tag("report", "dailyRevenue").gauge().value()).isEqualTo(2);

		this.cache.evictReports(List.of("dailyRevenue"));

		assertThat(this.cache.get(key("tenant-e", 1), () -> "new revenue", HeapEstimate::of).value()).isEqualTo("new revenue");
		assertThat(this.cache.get(new CacheKey("tenant-e", "planUsage", 1, Map.of(), Set.of("plans")), () -> "reloaded", HeapEstimate::of).hit()).isTrue();
		assertThat(this.meters.counter("tally.cache.evictions", "report", "dailyRevenue", "cause", "refresh").count())
			.isEqualTo(2);
	}

	private double gets(String result) {
		return this.meters.counter("tally.cache.gets", "report", "dailyRevenue", "result", result).count();
	}

	private static CacheKey key(String tenant, int day) {
		return new CacheKey(tenant, "dailyRevenue", 1, Map.of("from", "2026-01-01", "day", day), Set.of("days"));
	}

	private static void waitFor(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
