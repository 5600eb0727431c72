package io.tally.graphql;

import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.Ordered;

/**
 * The request pipeline, declared in one place: where every servlet filter and every GraphQL
 * interceptor sits, outermost first. Every way an answer leaves (execution, a compiled answer, a
 * kept answer, a GET and its 304, SSE, WebSocket) passes the same steps in this order:
 * authentication, the caller (resolved once), rate limits, trusted documents, the document's plan
 * and field limits, then the answer. Two steps at the same order would run in bean-discovery
 * order, so each has its own; {@code PipelineOrderIntegrationTests} pins the order.
 */
public final class PipelineOrder {

	/** Spring Security's filter chain: the token's signature, issuer, audience and expiry. */
	public static final int AUTHENTICATION = SecurityFilterProperties.DEFAULT_FILTER_ORDER;

	// Servlet filters

	/** First, so every log line and every answer, a refusal included, carries the request id. */
	public static final int REQUEST_ID = Ordered.HIGHEST_PRECEDENCE;

	/** Before anything can answer, so every answer (a 401 Spring Security writes included) carries them. */
	public static final int SECURITY_HEADERS = Ordered.HIGHEST_PRECEDENCE + 1;

	/**
	 * Inside Spring Boot's HTTP server observation (at {@code HIGHEST_PRECEDENCE + 1}), whose span
	 * it names in {@code X-Trace-Id}; before anything can answer, a 401 included.
	 */
	public static final int TRACE_ID = Ordered.HIGHEST_PRECEDENCE + 2;

	/** Outside Spring Security, so the final status of a refused token is known. */
	public static final int UNAUTHORIZED_AUDIT = AUTHENTICATION - 20;

	/** Before Spring Security, so an ambiguous request is refused before any header is read. */
	public static final int DUPLICATE_HEADERS = AUTHENTICATION - 10;

	/** Right after authentication: the one place the caller and its tenant are decided. */
	public static final int CALLER = AUTHENTICATION + 5;

	/** The tenant's token bucket, before the body is read or anything is parsed. */
	public static final int RATE_LIMIT = AUTHENTICATION + 10;

	/** Reads, bounds and checks a POST body, and puts a registered document's text in. */
	public static final int REQUEST_BODY = AUTHENTICATION + 20;

	// GraphQL interceptors, around every transport's execution

	/** Outermost, so the timeout covers every other step and the execution. */
	public static final int TIMEOUT = Ordered.HIGHEST_PRECEDENCE;

	/**
	 * On a WebSocket, what authentication and the caller filter are for HTTP: the connection's
	 * verified token and its request context (decided once, at {@code connection_init}) put in
	 * place for each operation.
	 */
	public static final int SOCKET_CONNECTION = Ordered.HIGHEST_PRECEDENCE + 1;

	/** On a WebSocket, each operation takes from the caller's bucket, as each HTTP request does. */
	public static final int SOCKET_RATE_LIMIT = Ordered.HIGHEST_PRECEDENCE + 2;

	/** Sees every error in its final wording, so outside the rewriting of literal messages. */
	public static final int SCHEMA_EXPOSURE = Ordered.HIGHEST_PRECEDENCE + 3;

	public static final int LITERAL_MESSAGES = Ordered.HIGHEST_PRECEDENCE + 4;

	/** Hands the request context and the parser limits to everything below, execution included. */
	public static final int REQUEST_CONTEXT = Ordered.HIGHEST_PRECEDENCE + 5;

	/**
	 * Refuses an untrusted document from its text alone, before it is parsed and before anything
	 * (a kept answer included) could answer it.
	 */
	public static final int TRUSTED_DOCUMENTS = Ordered.HIGHEST_PRECEDENCE + 6;

	/** The document's plan, and the caller's report-field cap checked against it. */
	public static final int FIELD_LIMITS = Ordered.HIGHEST_PRECEDENCE + 7;

	/** A browser's revalidation answered with a 304, only once every check above has passed. */
	public static final int REVALIDATION = Ordered.HIGHEST_PRECEDENCE + 8;

	/** Answers from kept answers, after every check. */
	public static final int RESPONSE_CACHE = Ordered.LOWEST_PRECEDENCE - 1;

	/** Innermost: in place of standard execution, so a compiled answer is kept like any other. */
	public static final int COMPILED_QUERIES = Ordered.LOWEST_PRECEDENCE;

	private PipelineOrder() {
	}

}
