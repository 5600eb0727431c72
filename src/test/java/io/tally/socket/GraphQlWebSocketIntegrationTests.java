package io.tally.socket;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.tally.live.LiveSubscriptions;
import io.tally.support.AuditEvents;
import io.tally.support.IntegrationTestSupport;
import io.tally.support.TestIssuer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.Disposable;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.graphql.client.ClientGraphQlResponse;
import org.springframework.graphql.client.SubscriptionErrorException;
import org.springframework.graphql.client.WebSocketGraphQlClient;
import org.springframework.graphql.client.WebSocketGraphQlClientInterceptor;
import org.springframework.graphql.test.tester.WebSocketGraphQlTester;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.socket.client.StandardWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * GraphQL over WebSocket ({@code graphql-transport-ws}) with real tokens, as Apollo Client and
 * urql speak it: the token in {@code connection_init}, queries and subscriptions through the same
 * checks as HTTP, a refused token or tenant closing the connection with 4403 before anything is
 * read, and the connection ending when its token expires.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestPropertySource(properties = "tally.live.max-subscribers-per-tenant=1")
class GraphQlWebSocketIntegrationTests extends IntegrationTestSupport {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Autowired
	LiveSubscriptions subscriptions;

	@Autowired
	OpenSockets sockets;

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				DELETE FROM app.orders WHERE tenant_id IN ('ws-a', 'ws-b');
				DELETE FROM app.customers WHERE tenant_id IN ('ws-a', 'ws-b');
				DELETE FROM app.tenants WHERE id IN ('ws-a', 'ws-b');
				INSERT INTO app.tenants (id, name) VALUES ('ws-a', 'Socket A'), ('ws-b', 'Socket B');
				INSERT INTO app.customers (tenant_id, id, name, region) VALUES
				  ('ws-a', 1, 'Ann', 'north'), ('ws-b', 1, 'Bea', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('ws-a', 1, '2026-05-01 12:00Z', 'paid', 100), ('ws-b', 1, '2026-05-01 12:00Z', 'paid', 7000);
				""").update();
		refreshReport("dailyRevenue");
	}

	@Test
	void answersAQueryWithTheTokenFromConnectionInit() {
		WebSocketGraphQlTester tester = tester(Map.of("Authorization", "Bearer " + this.issuer.tenantUser("ws-a")));
		try {
			tester.document("{ dailyRevenue(from: \"2026-05-01\", to: \"2026-05-01\") { totals { revenueCents } } }")
				.execute()
				.path("dailyRevenue.totals.revenueCents")
				.entity(Integer.class)
				.isEqualTo(100);
		}
		finally {
			tester.stop().block(WAIT);
		}
	}

	@Test
	void readsThePartnersChosenTenantFromConnectionInit() {
		WebSocketGraphQlTester tester = tester(
				Map.of("Authorization", "Bearer " + this.issuer.partner("ws-a", "ws-b"), "X-Tenant-Id", "ws-b"));
		try {
			tester.document("{ dailyRevenue(from: \"2026-05-01\", to: \"2026-05-01\") { totals { revenueCents } } }")
				.execute()
				.path("dailyRevenue.totals.revenueCents")
				.entity(Integer.class)
				.isEqualTo(7000);
		}
		finally {
			tester.stop().block(WAIT);
		}
	}

	@Test
	void pushesARefreshToASubscriptionAndHoldsTheTenantsStreamCap() throws Exception {
		WebSocketGraphQlClient client = client(Map.of("Authorization", "Bearer " + this.issuer.tenantUser("ws-b")));
		try {
			LinkedBlockingQueue<ClientGraphQlResponse> events = new LinkedBlockingQueue<>();
			Disposable subscription = client
				.document("subscription { reportRefreshed(reports: [\"dailyRevenue\"]) { report refreshedAt } }")
				.executeSubscription()
				.subscribe(events::add);
			try {
				await().atMost(WAIT).until(() -> this.subscriptions.openFor("ws-b") == 1);
				// The cap is one stream per tenant here: a second is refused with the real reason.
				assertThatExceptionOfType(SubscriptionErrorException.class)
					.isThrownBy(() -> client.document("subscription { reportRefreshed { report } }")
						.executeSubscription()
						.blockFirst(WAIT))
					.satisfies(refused -> assertThat(refused.getErrors().get(0).getErrorType())
						.hasToString("LIMIT_EXCEEDED"));

				refreshReport("dailyRevenue");

				ClientGraphQlResponse event = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
				assertThat(event).as("a refresh within " + WAIT).isNotNull();
				assertThat(event.field("reportRefreshed.report").<String>getValue()).isEqualTo("dailyRevenue");
			}
			finally {
				subscription.dispose();
			}
		}
		finally {
			client.stop().block(WAIT);
		}
	}

	@Test
	void closesWith4403AndReadsNothingWithoutAValidToken() throws Exception {
		AuditEvents audit = new AuditEvents();
		audit.start();
		try {
			String expired = this.issuer.token("late", Map.of("tenant_id", "ws-a", "scope", "analytics:read"),
					TestIssuer.ISSUER, Instant.now().minusSeconds(60));
			String untrusted = TestIssuer.another("https://elsewhere.example").tenantUser("ws-a");
			for (String authorization : new String[] { null, "Bearer not-a-token", "Bearer " + expired,
					"Bearer " + untrusted, "Basic dXNlcjpwYXNz" }) {
				try (RawSocket socket = RawSocket.open(this.port)) {
					socket.init(authorization, null);
					socket.subscribe("{ dailyRevenue(from: \"2026-05-01\", to: \"2026-05-01\") { totals { revenueCents } } }");
					RawSocket.Closed closed = socket.closed(WAIT);
					assertThat(closed.code()).as(String.valueOf(authorization)).isEqualTo(4403);
					assertThat(closed.reason()).isEqualTo("Forbidden");
					assertThat(socket.messages()).as("nothing answered").isEmpty();
				}
			}
			assertThat(audit.of("unauthorized")).hasSizeGreaterThanOrEqualTo(5);
		}
		finally {
			audit.stop();
		}
	}

	@Test
	void refusesAnotherTenantsHeaderWith4403() throws Exception {
		AuditEvents audit = new AuditEvents();
		audit.start();
		try (RawSocket socket = RawSocket.open(this.port)) {
			socket.init("Bearer " + this.issuer.tenantUser("ws-a"), "ws-b");
			RawSocket.Closed closed = socket.closed(WAIT);
			assertThat(closed.code()).isEqualTo(4403);
			assertThat(socket.messages()).isEmpty();
			assertThat(audit.of("forbidden")).anySatisfy(event -> assertThat(event).containsEntry("requestedTenant", "ws-b"));
		}
		finally {
			audit.stop();
		}
	}

	@Test
	void completesItsSubscriptionsAndClosesWhenTheTokenExpires() throws Exception {
		Instant expiry = Instant.now().plusSeconds(6);
		String brief = this.issuer.token("brief", Map.of("tenant_id", "ws-a", "scope", "analytics:read"),
				TestIssuer.ISSUER, expiry);
		try (RawSocket socket = RawSocket.open(this.port)) {
			socket.init("Bearer " + brief, null);
			assertThat(socket.next(WAIT)).contains("\"connection_ack\"");
			socket.subscribe("subscription { reportRefreshed { report } }");
			await().atMost(WAIT).until(() -> this.subscriptions.openFor("ws-a") == 1);

			RawSocket.Closed closed = socket.closed(WAIT);

			assertThat(closed.code()).isEqualTo(4403);
			assertThat(closed.reason()).isEqualTo("Token expired");
			assertThat(socket.messages()).as("the subscription's end, before the close")
				.containsExactly("{\"id\":\"1\",\"payload\":{},\"type\":\"complete\"}");
			assertThat(Duration.between(expiry, Instant.now())).as("closed right after the complete, not at the fallback")
				.isLessThan(Duration.ofSeconds(4));
		}
		await().atMost(WAIT).until(() -> this.subscriptions.openFor("ws-a") == 0);
	}

	@Test
	void refusesAHandshakeFromAnOriginHttpWouldRefuse() {
		HttpClient http = HttpClient.newHttpClient();
		CompletableFuture<WebSocket> refused = http.newWebSocketBuilder()
			.header("Origin", "https://evil.example")
			.subprotocols("graphql-transport-ws")
			.buildAsync(URI.create("ws://127.0.0.1:" + this.port + "/graphql"), new WebSocket.Listener() {
			});
		assertThat(refused).failsWithin(WAIT);
	}

	private WebSocketGraphQlTester tester(Map<String, Object> payload) {
		return WebSocketGraphQlTester.builder("ws://127.0.0.1:" + this.port + "/graphql", new StandardWebSocketClient())
			.interceptor(connectionInit(payload))
			.build();
	}

	private WebSocketGraphQlClient client(Map<String, Object> payload) {
		return WebSocketGraphQlClient.builder("ws://127.0.0.1:" + this.port + "/graphql", new StandardWebSocketClient())
			.interceptor(connectionInit(payload))
			.build();
	}

	/** Sends {@code payload} with {@code connection_init}, as Apollo's {@code connectionParams} do. */
	private static WebSocketGraphQlClientInterceptor connectionInit(Map<String, Object> payload) {
		return new WebSocketGraphQlClientInterceptor() {

			@Override
			public Mono<Object> connectionInitPayload() {
				return Mono.just(payload);
			}

		};
	}

	/**
	 * A bare {@code graphql-transport-ws} connection, to see what a client library hides: each
	 * message the server sends, and the close code and reason.
	 */
	static final class RawSocket implements WebSocket.Listener, AutoCloseable {

		record Closed(int code, String reason) {
		}

		private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();

		private final List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

		private final CompletableFuture<Closed> closed = new CompletableFuture<>();

		private final StringBuilder partial = new StringBuilder();

		private WebSocket socket;

		static RawSocket open(int port) throws Exception {
			RawSocket raw = new RawSocket();
			raw.socket = HttpClient.newHttpClient()
				.newWebSocketBuilder()
				.subprotocols("graphql-transport-ws")
				.buildAsync(URI.create("ws://127.0.0.1:" + port + "/graphql"), raw)
				.get(10, TimeUnit.SECONDS);
			return raw;
		}

		void init(String authorization, String tenant) {
			StringBuilder payload = new StringBuilder("{");
			if (authorization != null) {
				payload.append("\"Authorization\":\"").append(authorization).append('"');
			}
			if (tenant != null) {
				payload.append((payload.length() > 1) ? "," : "").append("\"X-Tenant-Id\":\"").append(tenant).append('"');
			}
			payload.append('}');
			this.socket.sendText("{\"type\":\"connection_init\",\"payload\":" + payload + "}", true).join();
		}

		void subscribe(String document) {
			if (this.closed.isDone()) {
				return;
			}
			this.socket.sendText("{\"id\":\"1\",\"type\":\"subscribe\",\"payload\":{\"query\":\"" + document.replace("\"", "\\\"")
					+ "\"}}", true).exceptionally(ex -> null);
		}

		String next(Duration wait) throws InterruptedException {
			return this.received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
		}

		Closed closed(Duration wait) throws Exception {
			return this.closed.get(wait.toMillis(), TimeUnit.MILLISECONDS);
		}

		/** Every message but pings and the acknowledgement. */
		List<String> messages() {
			return this.seen.stream().filter(m -> !m.contains("\"ping\"") && !m.contains("\"connection_ack\"")).toList();
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				String message = this.partial.toString();
				this.partial.setLength(0);
				this.seen.add(message);
				this.received.add(message);
			}
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closed.complete(new Closed(statusCode, reason));
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closed.completeExceptionally(error);
		}

		@Override
		public void close() {
			if (!this.socket.isOutputClosed()) {
				this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(ex -> null);
			}
		}

	}

}
