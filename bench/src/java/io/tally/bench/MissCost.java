package io.tally.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.management.ThreadMXBean;

/**
 * CPU time and heap allocated per miss, summed over every Java thread of this JVM (the server's
 * request threads among them) but the measuring client's own, after a warm-up that lets the JIT
 * compile the path: on a busy shared machine these move far less with the load than requests a
 * second, or than the process's CPU, which also counts the JIT and the collector.
 */
final class MissCost {

	private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

	static void measure(String base, String token, String body, int warmup, int measured) {
		try {
			measureOrFail(base, token, body, warmup, measured);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void measureOrFail(String base, String token, String body, int warmup, int measured) throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/graphql"))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		run(http, request, warmup);
		long[] before = totals();
		long started = System.nanoTime();
		int errors = run(http, request, measured);
		long[] after = totals();
		BenchData.log("miss cost over %d requests (%d errors, %.1f s): %.0f µs CPU, %.1f KB allocated per request, all Java threads but the clients'",
				measured, errors, (System.nanoTime() - started) / 1e9, (after[0] - before[0]) / 1e3 / measured,
				(after[1] - before[1]) / 1024.0 / measured);
	}

	/** The measuring client's threads, left out of the totals. */
	private static final Set<Long> clients = ConcurrentHashMap.newKeySet();

	private static int run(HttpClient http, HttpRequest request, int count) throws Exception {
		AtomicInteger left = new AtomicInteger(count);
		AtomicInteger errors = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(4);
		for (int i = 0; i < 4; i++) {
			pool.execute(() -> {
				clients.add(Thread.currentThread().getId());
				while (left.getAndDecrement() > 0) {
					try {
						HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
						if (response.statusCode() != 200 || new String(response.body()).contains("\"errors\"")) {
							errors.incrementAndGet();
						}
					}
					catch (Exception ex) {
						errors.incrementAndGet();
					}
				}
			});
		}
		pool.shutdown();
		pool.awaitTermination(30, TimeUnit.MINUTES);
		return errors.get();
	}

	/** CPU nanoseconds and allocated bytes of every live thread that is not a client of ours. */
	private static long[] totals() {
		long[] ids = Arrays.stream(THREADS.getAllThreadIds()).filter(id -> !clients.contains(id)).toArray();
		long cpu = Arrays.stream(THREADS.getThreadCpuTime(ids)).filter(t -> t > 0).sum();
		long allocated = Arrays.stream(THREADS.getThreadAllocatedBytes(ids)).filter(b -> b > 0).sum();
		return new long[] { cpu, allocated };
	}

}
