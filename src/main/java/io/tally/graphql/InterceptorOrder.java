package io.tally.graphql;

import org.springframework.core.Ordered;

/**
 * Where each GraphQL interceptor sits, outermost first. Every one has its place: two at the same
 * order run in whatever order their beans were found, and the last two must come last, after
 * every check and everything they put into the GraphQL context.
 */
public final class InterceptorOrder {

	/** Request timeout, then parser limits: {@code GraphQlLimitsConfiguration}. */
	static final int TIMEOUT = Ordered.HIGHEST_PRECEDENCE;

	static final int PARSER_LIMITS = Ordered.HIGHEST_PRECEDENCE + 1;

	/**
	 * On a WebSocket, puts the connection's verified caller (and tenant header) in place before
	 * anything asks for it, as Spring Security's filters do for HTTP.
	 */
	public static final int SOCKET_CONNECTION = Ordered.HIGHEST_PRECEDENCE + 2;

	/** On a WebSocket, each operation drains the caller's request bucket, as each HTTP request does. */
	public static final int SOCKET_RATE = Ordered.HIGHEST_PRECEDENCE + 3;

	/** Sees every error in its final wording, so outside the rewriting of literal messages. */
	public static final int SCHEMA_EXPOSURE = 0;

	/** Refuses an untrusted document before anything, a kept answer included, could answer it. */
	public static final int TRUSTED_DOCUMENTS = 10;

	static final int LITERAL_MESSAGES = 20;

	public static final int TENANT_HEADER = 30;

	/** Puts the caller's limits into the context the report fields read them from. */
	public static final int LIMITS = 40;

	/** Answers from kept answers, after every check. */
	public static final int RESPONSE_CACHE = Ordered.LOWEST_PRECEDENCE - 1;

	/** Innermost: in place of standard execution, so a compiled answer is kept like any other. */
	public static final int COMPILED_QUERIES = Ordered.LOWEST_PRECEDENCE;

	private InterceptorOrder() {
	}

}
