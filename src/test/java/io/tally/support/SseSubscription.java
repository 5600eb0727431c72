package io.tally.support;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.tally.support.GraphQlHttp.Response;
import tools.jackson.databind.json.JsonMapper;

/**
 * A GraphQL subscription over Server-Sent Events, as a browser's fetch opens one: POST with
 * {@code Accept: text/event-stream}, then events read as they arrive.
 */
public final class SseSubscription implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	/** What the stream sent: an event name ("next", "complete") with its data. */
	public record Event(String name, Response data) {
	}

	private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

	private final AtomicInteger heartbeats = new AtomicInteger();

	private final CompletableFuture<HttpResponse<InputStream>> response;

	private volatile InputStream body;

	public SseSubscription(int port, String token, String tenantHeader, String document) {
		this(port, token, tenantHeader, body(document));
	}

	/** A subscription whose request body is given whole, such as one naming a persisted document. */
	public SseSubscription(int port, String token, String tenantHeader, Map<String, Object> request) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/graphql"))
			.header("Content-Type", "application/json")
			.header("Accept", "text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(request)));
		if (token != null) {
			builder.header("Authorization", "Bearer " + token);
		}
		if (tenantHeader != null) {
			builder.header("X-Tenant-Id", tenantHeader);
		}
		this.response = HttpClient.newHttpClient()
			.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofInputStream())
			.thenApply(this::read);
	}

	private static Map<String, Object> body(String document) {
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("query", document);
		return request;
	}

	private HttpResponse<InputStream> read(HttpResponse<InputStream> response) {
		this.body = response.body();
		Thread reader = new Thread(() -> {
			try (BufferedReader lines = new BufferedReader(new InputStreamReader(this.body, StandardCharsets.UTF_8))) {
				String name = null;
				StringBuilder data = new StringBuilder();
				for (String line = lines.readLine(); line != null; line = lines.readLine()) {
					if (line.startsWith("event:")) {
						name = line.substring(6).trim();
					}
					else if (line.startsWith("data:")) {
						data.append(line.substring(5));
					}
					else if (line.startsWith(":")) {
						this.heartbeats.incrementAndGet();
					}
					else if (line.isEmpty() && name != null) {
						this.events.add(new Event(name, new Response(response.statusCode(), data.toString())));
						name = null;
						data.setLength(0);
					}
				}
			}
			catch (Exception ex) {
				// Closed by the test.
			}
			this.events.add(new Event("closed", new Response(response.statusCode(), "")));
		}, "sse-reader");
		reader.setDaemon(true);
		reader.start();
		return response;
	}

	/** The next event, waiting at most the given time; null when none came. */
	public Event next(Duration wait) throws InterruptedException {
		return this.events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** The HTTP status and content type the stream was answered with. */
	public HttpResponse<InputStream> response() {
		return this.response.join();
	}

	/** SSE comment lines received so far: Spring's keep-alive heartbeats. */
	public int heartbeats() {
		return this.heartbeats.get();
	}

	@Override
	public void close() throws Exception {
		InputStream open = this.body;
		if (open != null) {
			open.close();
		}
		this.response.cancel(true);
	}

}
