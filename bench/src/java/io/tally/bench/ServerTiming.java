package io.tally.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.Ordered;

/**
 * Server time per request, measured inside the benchmark's own application context by a servlet
 * filter ahead of every other filter (security included), up to the end of the response, also when
 * Spring for GraphQL answers asynchronously. Requests name their measurement in the header
 * {@code X-Bench-Row}; others are not timed. Next to it, the CPU time the request's own threads
 * spent in every dispatch (the first and the asynchronous one that writes the answer): unlike the
 * time, that hardly grows when other work shares the cores, and it leaves out the JVM's background
 * threads (JIT, GC, the flight recorder). Registered by an initializer, so no test context picks it
 * up by component scanning.
 */
final class ServerTiming implements Filter {

	static final String HEADER = "X-Bench-Row";

	private static final Map<String, Histogram> histograms = new ConcurrentHashMap<>();

	private static final Map<String, LongAdder> cpuNanos = new ConcurrentHashMap<>();

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	static ApplicationContextInitializer<GenericApplicationContext> initializer() {
		return context -> context.registerBean("benchServerTiming", FilterRegistrationBean.class, () -> {
			FilterRegistrationBean<ServerTiming> registration = new FilterRegistrationBean<>(new ServerTiming());
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC);
			registration.setAsyncSupported(true);
			registration.addUrlPatterns("/*");
			return registration;
		});
	}

	/** Takes (and forgets) what was recorded for a measurement; microseconds. */
	static Histogram take(String row) {
		Histogram histogram = histograms.remove(row);
		return (histogram != null) ? histogram : new Histogram(3);
	}

	/** Takes (and forgets) the CPU time a measurement's requests used on their threads; nanoseconds. */
	static long takeCpuNanos(String row) {
		LongAdder nanos = cpuNanos.remove(row);
		return (nanos != null) ? nanos.sum() : 0;
	}

	static void clear() {
		histograms.clear();
		cpuNanos.clear();
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		String row = ((HttpServletRequest) request).getHeader(HEADER);
		if (row == null) {
			chain.doFilter(request, response);
			return;
		}
		long cpuStarted = THREADS.getCurrentThreadCpuTime();
		if (request.getDispatcherType() == DispatcherType.ASYNC) {
			try {
				chain.doFilter(request, response);
			}
			finally {
				cpuNanos.computeIfAbsent(row, r -> new LongAdder()).add(THREADS.getCurrentThreadCpuTime() - cpuStarted);
			}
			return;
		}
		long started = System.nanoTime();
		try {
			chain.doFilter(request, response);
		}
		finally {
			cpuNanos.computeIfAbsent(row, r -> new LongAdder()).add(THREADS.getCurrentThreadCpuTime() - cpuStarted);
			if (request.isAsyncStarted()) {
				request.getAsyncContext().addListener(new AsyncListener() {

					@Override
					public void onComplete(AsyncEvent event) {
						record(row, started);
					}

					@Override
					public void onTimeout(AsyncEvent event) {
					}

					@Override
					public void onError(AsyncEvent event) {
					}

					@Override
					public void onStartAsync(AsyncEvent event) {
					}

				});
			}
			else {
				record(row, started);
			}
		}
	}

	private static void record(String row, long started) {
		long micros = Math.max(1, (System.nanoTime() - started) / 1000);
		histograms.computeIfAbsent(row, r -> new ConcurrentHistogram(3)).recordValue(micros);
	}

}
