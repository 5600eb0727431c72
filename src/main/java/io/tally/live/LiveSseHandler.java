package io.tally.live;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import graphql.ErrorType;
import graphql.ExecutionResult;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import org.reactivestreams.Publisher;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.graphql.execution.SubscriptionPublisherException;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.webmvc.GraphQlSseHandler;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Subscriptions over Server-Sent Events as Spring for GraphQL sends them ("next" events, then
 * "complete"), with heartbeats that cannot cut a stream. Spring's handler writes heartbeats from
 * a Reactor timer, and Reactor interrupts a timer task's thread when the task is cancelled from
 * another thread: a stream ending (its token expired) while a heartbeat was being written had that
 * write interrupted, which closed the connection without "complete" or left the response failed
 * and open until the async timeout. Here heartbeats come from a timer of Tally's own, cancelled
 * without interrupting, and each stream's writes take turns, so a heartbeat and the end never overlap.
 */
final class LiveSseHandler extends GraphQlSseHandler implements DisposableBean {

	private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(runnable -> {
		Thread thread = new Thread(runnable, "tally-sse-heartbeats");
		thread.setDaemon(true);
		return thread;
	});

	private final Duration timeout;

	private final Duration keepAlive;

	LiveSseHandler(WebGraphQlHandler handler, Duration timeout, Duration keepAlive) {
		super(handler, timeout, null);
		this.timeout = timeout;
		this.keepAlive = keepAlive;
	}

	@Override
	protected ServerResponse prepareResponse(ServerRequest request, Mono<WebGraphQlResponse> response) {
		Flux<Map<String, Object>> results = response.flatMapMany(this::results);
		return (this.timeout != null) ? ServerResponse.sse(sse -> stream(sse, results), this.timeout)
				: ServerResponse.sse(sse -> stream(sse, results));
	}

	/** Writes a subscription's results, and heartbeats while none come, until the results end. */
	void stream(ServerResponse.SseBuilder sse, Flux<Map<String, Object>> results) {
		new Stream(sse).start(results);
	}

	@SuppressWarnings("unchecked")
	private Publisher<Map<String, Object>> results(WebGraphQlResponse response) {
		if (response.getData() instanceof Publisher<?> publisher) {
			return Flux.from((Publisher<ExecutionResult>) publisher).map(ExecutionResult::toSpecification);
		}
		if (!response.getErrors().isEmpty()) {
			// Refused before a stream began (a refused tenant, an untrusted document, a full cap): the real reason.
			return Flux.just(response.toMap());
		}
		return Flux.just(ExecutionResult.newExecutionResult()
			.addError(GraphQLError.newError()
				.errorType(ErrorType.OperationNotSupported)
				.message("SSE handler supports only subscriptions")
				.build())
			.build()
			.toSpecification());
	}

	@Override
	public void destroy() {
		this.heartbeats.shutdownNow();
	}

	/** One open stream: its results, its heartbeats, and the lock that makes their writes take turns. */
	private final class Stream extends BaseSubscriber<Map<String, Object>> {

		private final ServerResponse.SseBuilder sse;

		private final ReentrantLock writing = new ReentrantLock();

		private boolean ended;

		private volatile boolean sentSinceHeartbeat;

		private volatile ScheduledFuture<?> heartbeat;

		Stream(ServerResponse.SseBuilder sse) {
			this.sse = sse;
		}

		void start(Flux<Map<String, Object>> results) {
			this.sse.onTimeout(() -> fail(new AsyncRequestTimeoutException()));
			Duration every = LiveSseHandler.this.keepAlive;
			if (every != null) {
				this.heartbeat = LiveSseHandler.this.heartbeats.scheduleWithFixedDelay(this::beat, every.toMillis(),
						every.toMillis(), TimeUnit.MILLISECONDS);
			}
			results.subscribe(this);
		}

		private void beat() {
			if (this.sentSinceHeartbeat) {
				this.sentSinceHeartbeat = false;
				return;
			}
			write(() -> {
				this.sse.comment(" ");
				this.sse.send();
			});
		}

		@Override
		protected void hookOnNext(Map<String, Object> value) {
			this.sentSinceHeartbeat = true;
			write(() -> {
				this.sse.event("next");
				this.sse.data(value);
			});
		}

		@Override
		protected void hookOnError(Throwable ex) {
			Map<String, Object> error = (ex instanceof SubscriptionPublisherException published) ? published.toMap()
					: GraphqlErrorBuilder.newError()
						.message("Subscription error")
						.errorType(org.springframework.graphql.execution.ErrorType.INTERNAL_ERROR)
						.build()
						.toSpecification();
			hookOnNext(error);
			hookOnComplete();
		}

		@Override
		protected void hookOnComplete() {
			stopHeartbeats();
			this.writing.lock();
			try {
				if (this.ended) {
					return;
				}
				this.ended = true;
				this.sse.event("complete").data("");
				this.sse.complete();
			}
			catch (IOException ex) {
				this.sse.error(ex);
			}
			finally {
				this.writing.unlock();
			}
		}

		private void write(Write write) {
			this.writing.lock();
			try {
				if (!this.ended) {
					write.run();
				}
			}
			catch (IOException ex) {
				fail(ex);
			}
			finally {
				this.writing.unlock();
			}
		}

		/** The client went away or the request timed out: stop reading results, end the response. */
		private void fail(Throwable ex) {
			stopHeartbeats();
			cancel();
			this.writing.lock();
			try {
				if (!this.ended) {
					this.ended = true;
					this.sse.error(ex);
				}
			}
			finally {
				this.writing.unlock();
			}
		}

		private void stopHeartbeats() {
			ScheduledFuture<?> beating = this.heartbeat;
			if (beating != null) {
				// Never interrupting: the heartbeat thread may be in the middle of another stream's write.
				beating.cancel(false);
			}
		}

	}

	@FunctionalInterface
	private interface Write {

		void run() throws IOException;

	}

}
