package io.tally.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A closed loop on a small fixed pool of client threads: each thread sends its next call as soon
 * as the last one answered. It warms up, then measures until the request cap or the time cap,
 * whichever comes first, and always stops by itself.
 */
final class LoadRunner implements AutoCloseable {

	private final ExecutorService pool;

	private final int threads;

	LoadRunner(int threads) {
		this.threads = threads;
		this.pool = Executors.newFixedThreadPool(threads, runnable -> {
			Thread thread = new Thread(runnable, "bench-client");
			thread.setDaemon(true);
			return thread;
		});
	}

	/** What a call did: whether it succeeded and, if the caller cares, whether it was served from cache. */
	record Outcome(boolean ok, boolean cached) {
	}

	/** A measurement's client-side latency (microseconds), errors and cache hits. */
	record Result(Histogram micros, long errors, long cached, double seconds) {

		Stats stats() {
			return Stats.of(this.micros, this.errors, this.seconds);
		}

	}

	/**
	 * Runs calls drawn by {@code next} (given each thread's own random source).
	 * @param warmupMillis warm-up time, not measured
	 * @param measureMillis longest measured time
	 * @param maxRequests most measured requests (over all threads)
	 * @param stop also stops the measurement early when it returns true (checked between calls)
	 */
	Result run(Function<SplittableRandom, BooleanSupplierWithCache> next, long warmupMillis, long measureMillis,
			int maxRequests, BooleanSupplier stop, Runnable afterWarmup) {
		loop(next, warmupMillis, Math.max(this.threads, maxRequests / 10), null, null, null, stop, 1);
		afterWarmup.run();
		Histogram micros = new ConcurrentHistogram(3);
		AtomicLong errors = new AtomicLong();
		AtomicLong cached = new AtomicLong();
		long started = System.nanoTime();
		loop(next, measureMillis, maxRequests, micros, errors, cached, stop, 2);
		double seconds = (System.nanoTime() - started) / 1e9;
		return new Result(micros, errors.get(), cached.get(), seconds);
	}

	Result run(Function<SplittableRandom, BooleanSupplierWithCache> next, long warmupMillis, long measureMillis,
			int maxRequests) {
		return run(next, warmupMillis, measureMillis, maxRequests, () -> false, () -> {
		});
	}

	private void loop(Function<SplittableRandom, BooleanSupplierWithCache> next, long millis, int maxRequests,
			Histogram micros, AtomicLong errors, AtomicLong cached, BooleanSupplier stop, long salt) {
		long deadline = System.nanoTime() + millis * 1_000_000;
		AtomicLong budget = new AtomicLong(maxRequests);
		List<Future<?>> futures = new ArrayList<>();
		for (int t = 0; t < this.threads; t++) {
			SplittableRandom random = new SplittableRandom(salt * 1000 + t);
			futures.add(this.pool.submit(() -> {
				while (System.nanoTime() < deadline && budget.decrementAndGet() >= 0 && !stop.getAsBoolean()) {
					BooleanSupplierWithCache call = next.apply(random);
					long started = System.nanoTime();
					Outcome outcome;
					try {
						outcome = call.call();
					}
					catch (RuntimeException ex) {
						outcome = new Outcome(false, false);
					}
					long elapsed = (System.nanoTime() - started) / 1000;
					if (micros != null) {
						micros.recordValue(Math.max(1, elapsed));
						if (!outcome.ok()) {
							errors.incrementAndGet();
						}
						if (outcome.cached()) {
							cached.incrementAndGet();
						}
					}
				}
			}));
		}
		for (Future<?> future : futures) {
			try {
				future.get();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
	}

	/** One call. */
	@FunctionalInterface
	interface BooleanSupplierWithCache {

		Outcome call();

	}

	@Override
	public void close() {
		this.pool.shutdownNow();
	}

}
