package io.tally.bench;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * {@code X-Bench-Row}; others are not timed. (The throughput rows run Tally in a process of its
 * own, {@link TallyProcess}, whose CPU {@link CpuMeter} reads from {@code /proc}.) Registered by an
 * initializer, so no test context picks it up by component scanning.
 */
final class ServerTiming implements Filter {

	static final String HEADER = "X-Bench-Row";

	private static final Map<String, Histogram> histograms = new ConcurrentHashMap<>();

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

	static void clear() {
		histograms.clear();
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		String row = ((HttpServletRequest) request).getHeader(HEADER);
		if (row == null) {
			chain.doFilter(request, response);
			return;
		}
		if (request.getDispatcherType() == DispatcherType.ASYNC) {
			chain.doFilter(request, response);
			return;
		}
		long started = System.nanoTime();
		try {
			chain.doFilter(request, response);
		}
		finally {
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
