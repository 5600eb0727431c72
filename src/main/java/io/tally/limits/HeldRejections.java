package io.tally.limits;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Sends a rate-limit 429 only after {@code tally.limits.rejection-delay}, holding no thread
 * meanwhile (the request goes asynchronous). A client looping without regard for
 * {@code Retry-After} would otherwise get thousands of cheap 429s a second, and those alone take
 * the CPU the other tenants' requests need; held, each of its loops costs one request a delay.
 * At most {@code tally.limits.max-held-rejections} wait at once, so held answers cannot pile up.
 */
@Component
public class HeldRejections implements DisposableBean {

	/** Writes the answer; an IOException means the client has gone. */
	@FunctionalInterface
	public interface Answer {

		void write() throws IOException;

	}

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "tally-held-rejections");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicInteger held = new AtomicInteger();

	private final LimitsProperties limits;

	HeldRejections(LimitsProperties limits) {
		this.limits = limits;
	}

	public void answer(HttpServletRequest request, Answer answer) throws IOException {
		long delay = this.limits.rejectionDelay().toMillis();
		if (delay <= 0 || !request.isAsyncSupported()) {
			answer.write();
			return;
		}
		if (this.held.incrementAndGet() > this.limits.maxHeldRejections()) {
			this.held.decrementAndGet();
			answer.write();
			return;
		}
		AsyncContext async = request.startAsync();
		async.setTimeout(delay + TimeUnit.SECONDS.toMillis(10));
		this.scheduler.schedule(() -> {
			try {
				answer.write();
			}
			catch (IOException | RuntimeException ex) {
				// The client went away while its answer was held.
			}
			finally {
				this.held.decrementAndGet();
				async.complete();
			}
		}, delay, TimeUnit.MILLISECONDS);
	}

	@Override
	public void destroy() {
		this.scheduler.shutdownNow();
	}

}
