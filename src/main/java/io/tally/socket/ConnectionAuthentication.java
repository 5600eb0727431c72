package io.tally.socket;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.tally.graphql.ForbiddenException;
import io.tally.graphql.PipelineOrder;
import io.tally.limits.RequestLimits;
import io.tally.pipeline.RequestContext;
import io.tally.tenancy.CallerDecision;
import io.tally.tenancy.ConnectionTokens;
import io.tally.tenancy.TenancyProperties;
import io.tally.tenancy.TenantResolver;
import reactor.core.Disposable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.annotation.Order;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.graphql.server.WebSocketGraphQlInterceptor;
import org.springframework.graphql.server.WebSocketGraphQlRequest;
import org.springframework.graphql.server.WebSocketSessionInfo;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/**
 * Who a GraphQL WebSocket speaks for. The token comes once, in {@code connection_init}'s payload as
 * {@code {"Authorization": "Bearer …"}} (Apollo's {@code connectionParams}), with an optional
 * tenant header beside it; it is checked as an HTTP request's would be, and a refused one closes
 * the connection with 4403 before anything is read. The caller is decided once, here, into the
 * connection's {@link RequestContext}, as {@code CallerFilter} decides it for an HTTP request; every
 * operation on the connection then runs as that caller, through the same pipeline as HTTP. When the token expires its subscriptions
 * complete (they end on their own then) and, once their "complete" is written, the connection
 * closes with 4403 "Token expired", which
 * graphql-ws clients answer by connecting again with fresh {@code connectionParams}.
 */
@Component
@ConditionalOnWebApplication
@Order(PipelineOrder.SOCKET_CONNECTION)
class ConnectionAuthentication implements WebSocketGraphQlInterceptor {

	static final CloseStatus FORBIDDEN = new CloseStatus(4403, "Forbidden");

	static final CloseStatus TOKEN_EXPIRED = new CloseStatus(4403, "Token expired");

	private static final String CALLER = ConnectionAuthentication.class.getName() + ".caller";

	private static final String EXPIRY = ConnectionAuthentication.class.getName() + ".expiry";

	private final ConnectionTokens tokens;

	private final TenantResolver tenants;

	private final RequestLimits limits;

	private final String tenantHeader;

	private final OpenSockets sockets;

	private final Clock clock;

	ConnectionAuthentication(ConnectionTokens tokens, TenantResolver tenants, RequestLimits limits,
			TenancyProperties tenancy, OpenSockets sockets, Clock clock) {
		this.tokens = tokens;
		this.tenants = tenants;
		this.limits = limits;
		this.tenantHeader = tenancy.tenantHeader();
		this.sockets = sockets;
		this.clock = clock;
	}

	@Override
	public Mono<Object> handleConnectionInitialization(WebSocketSessionInfo session, Map<String, Object> payload) {
		Authentication caller;
		CallerDecision decision;
		String tenant = value(payload, this.tenantHeader);
		try {
			caller = this.tokens.authenticate(value(payload, HttpHeaders.AUTHORIZATION));
			decision = this.tenants.decide(caller, tenant);
			if (tenant != null) {
				// Refused (and audited) now, rather than on every operation of the connection.
				decision.caller();
			}
		}
		catch (RuntimeException refused) {
			// Spring's handler closes the connection on this error; with the code graphql-ws clients know.
			this.sockets.refuse(session.getId(), FORBIDDEN);
			return Mono.error(refused);
		}
		session.getAttributes().put(CALLER, caller);
		session.getAttributes()
			.put(RequestContext.ATTRIBUTE, new RequestContext(session.getId(), decision, this.limits.of(decision)));
		Instant expiresAt = expiry(caller);
		if (expiresAt != null) {
			// The subscriptions end on their own at expiry; the connection closes after their "complete".
			Duration left = Duration.between(this.clock.instant(), expiresAt);
			Disposable closing = Mono.delay(left.isNegative() ? Duration.ZERO : left)
				.subscribe(tick -> this.sockets.closeAfterLastMessages(session.getId(), TOKEN_EXPIRED));
			session.getAttributes().put(EXPIRY, closing);
		}
		return Mono.empty();
	}

	@Override
	public Mono<WebGraphQlResponse> intercept(WebGraphQlRequest request, Chain chain) {
		if (!(request instanceof WebSocketGraphQlRequest socket)) {
			return chain.next(request);
		}
		Map<String, Object> attributes = socket.getSessionInfo().getAttributes();
		if (!(attributes.get(CALLER) instanceof Authentication caller)) {
			// Spring refuses an operation before connection_init; this is only a second lock.
			return Mono.error(new ForbiddenException("A bearer token is required"));
		}
		Instant expiresAt = expiry(caller);
		if (expiresAt != null && !this.clock.instant().isBefore(expiresAt)) {
			return Mono.error(new ForbiddenException("The connection's token has expired"));
		}
		SecurityContext context = new SecurityContextImpl(caller);
		// The interceptors ask for the caller while the chain is built, the data fetchers later from the Reactor context.
		String sessionId = socket.getSessionInfo().getId();
		return asCaller(caller, () -> chain.next(request))
			.map(response -> followed(response, sessionId, socket.getId()))
			.contextWrite(Context.of(SecurityContext.class.getName(), context));
	}

	/** A subscription's answers, with the connection told when it starts and when the client stops it. */
	private WebGraphQlResponse followed(WebGraphQlResponse response, String sessionId, String id) {
		if (!(response.getData() instanceof Publisher<?> answers)) {
			return response;
		}
		this.sockets.subscribed(sessionId, id);
		Flux<?> followed = Flux.from(answers).doOnCancel(() -> this.sockets.cancelled(sessionId, id));
		return response.transform(builder -> builder.data(followed));
	}

	@Override
	public void handleConnectionClosed(WebSocketSessionInfo session, int statusCode, Map<String, Object> payload) {
		if (session.getAttributes().get(EXPIRY) instanceof Disposable closing) {
			closing.dispose();
		}
	}

	private static <T> T asCaller(Authentication caller, java.util.function.Supplier<T> action) {
		SecurityContext previous = SecurityContextHolder.getContext();
		SecurityContextHolder.setContext(new SecurityContextImpl(caller));
		try {
			return action.get();
		}
		finally {
			SecurityContextHolder.setContext(previous);
		}
	}

	private static Instant expiry(Authentication caller) {
		return (caller instanceof JwtAuthenticationToken jwt) ? jwt.getToken().getExpiresAt() : null;
	}

	/** A payload entry by name, ignoring case as HTTP does with headers; null unless a string. */
	private static String value(Map<String, Object> payload, String name) {
		if (payload == null) {
			return null;
		}
		for (Map.Entry<String, Object> entry : payload.entrySet()) {
			if (entry.getKey().equalsIgnoreCase(name) && entry.getValue() instanceof String text && !text.isBlank()) {
				return text;
			}
		}
		return null;
	}

}
