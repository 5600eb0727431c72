package io.tally.live;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.web.servlet.function.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream that ends while a heartbeat is being written: the end waits for the heartbeat, which
 * is not interrupted, and then "complete" goes out and the response ends. (Spring for GraphQL's
 * own handler cancels its heartbeat timer from the ending thread, and Reactor interrupts the
 * heartbeat's write; the stream was then cut without "complete" or left open.)
 */
class LiveSseHandlerTests {

	@Test
	void endsAStreamAfterTheHeartbeatBeingWrittenWithoutInterruptingIt() throws Exception {
		LiveSseHandler handler = new LiveSseHandler(WebGraphQlHandler.builder(request -> Mono.empty()).build(), null,
				Duration.ofMillis(10));
		RecordingSse sse = new RecordingSse();
		Sinks.Empty<Void> end = Sinks.empty();

		handler.stream(sse, end.asMono().thenMany(Flux.<Map<String, Object>>empty()));
		assertThat(sse.heartbeatWriting.await(5, TimeUnit.SECONDS)).isTrue();
		Thread ending = new Thread(end::tryEmitEmpty);
		ending.start();
		ending.join(200);
		assertThat(sse.written).as("the end waits for the heartbeat being written").doesNotContain("complete");
		sse.heartbeatMayFinish.countDown();
		ending.join(5000);

		assertThat(sse.interrupted).as("the heartbeat's write was interrupted").isEmpty();
		assertThat(sse.written).containsExactly("comment", "send", "complete", "data", "completed");
		Thread.sleep(50);
		assertThat(sse.written).as("no heartbeat after the end").hasSize(5);
		handler.destroy();
	}

	/** Records what is written; the first heartbeat blocks until released. */
	static final class RecordingSse implements ServerResponse.SseBuilder {

		final List<String> written = new CopyOnWriteArrayList<>();

		final List<Boolean> interrupted = new CopyOnWriteArrayList<>();

		final CountDownLatch heartbeatWriting = new CountDownLatch(1);

		final CountDownLatch heartbeatMayFinish = new CountDownLatch(1);

		@Override
		public void send() {
			this.written.add("send");
			this.heartbeatWriting.countDown();
			try {
				this.heartbeatMayFinish.await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				this.interrupted.add(true);
			}
			if (Thread.currentThread().isInterrupted()) {
				this.interrupted.add(true);
			}
		}

		@Override
		public ServerResponse.SseBuilder comment(String comment) {
			this.written.add("comment");
			return this;
		}

		@Override
		public ServerResponse.SseBuilder event(String eventName) {
			this.written.add(eventName);
			return this;
		}

		@Override
		public void data(Object object) {
			this.written.add("data");
		}

		@Override
		public void complete() {
			this.written.add("completed");
		}

		@Override
		public void error(Throwable t) {
			this.written.add("error");
		}

		@Override
		public void send(Object object) {
			this.written.add("send");
		}

		@Override
		public ServerResponse.SseBuilder id(String id) {
			return this;
		}

		@Override
		public ServerResponse.SseBuilder retry(Duration retry) {
			return this;
		}

		@Override
		public ServerResponse.SseBuilder onTimeout(Runnable onTimeout) {
			return this;
		}

		@Override
		public ServerResponse.SseBuilder onError(Consumer<Throwable> onError) {
			return this;
		}

		@Override
		public ServerResponse.SseBuilder onComplete(Runnable onCompletion) {
			return this;
		}

	}

}
