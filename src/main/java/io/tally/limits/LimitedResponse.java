package io.tally.limits;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/**
 * A GraphQL answer that can still be turned into a 429 after execution: a limit hit while fields
 * run (a tenant's read slots all taken) is a GraphQL error, and the status Spring for GraphQL
 * then writes becomes 429 with {@code Retry-After}, so HTTP clients back off as they would from
 * the request-rate limit.
 */
public final class LimitedResponse extends HttpServletResponseWrapper {

	/** Request attribute holding this response, for the interceptor that sees the GraphQL errors. */
	public static final String ATTRIBUTE = LimitedResponse.class.getName();

	private volatile long retryAfterSeconds = -1;

	public LimitedResponse(HttpServletResponse response) {
		super(response);
	}

	public void reject(long retryAfterSeconds) {
		this.retryAfterSeconds = retryAfterSeconds;
	}

	@Override
	public void setStatus(int status) {
		if (this.retryAfterSeconds >= 0 && status == HttpStatus.OK.value()) {
			super.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(this.retryAfterSeconds));
			super.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
			return;
		}
		super.setStatus(status);
	}

}
