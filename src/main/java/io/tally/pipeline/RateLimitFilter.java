package io.tally.pipeline;

import java.io.IOException;

import io.tally.graphql.JsonErrors;
import io.tally.graphql.PipelineFilter;
import io.tally.graphql.PipelineOrder;
import io.tally.limits.CallerLimits;
import io.tally.limits.HeldRejections;
import io.tally.limits.LimitedResponse;
import io.tally.limits.RequestLimits;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Each caller's GraphQL requests drain its token bucket; an empty bucket is a 429 with
 * {@code Retry-After}, answered before the body is read, anything is parsed, executed or looked
 * up in any cache (held back a moment first: {@link HeldRejections}).
 */
@Component
@ConditionalOnWebApplication
@Order(PipelineOrder.RATE_LIMIT)
class RateLimitFilter extends PipelineFilter {

	private final RequestLimits limits;

	private final HeldRejections held;

	private final String path;

	RateLimitFilter(RequestLimits limits, HeldRejections held, GraphQlProperties graphQl) {
		this.limits = limits;
		this.held = held;
		this.path = graphQl.getHttp().getPath();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !this.path.equals(request.getServletPath());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		RequestContext context = (RequestContext) request.getAttribute(RequestContext.ATTRIBUTE);
		if (context == null) {
			chain.doFilter(request, response);
			return;
		}
		CallerLimits caller = context.limits();
		long retryAfter = this.limits.take(caller);
		if (retryAfter > 0) {
			String message = "Too many requests for this tenant: at most " + caller.requestsPerSecond()
					+ " a second (bursts of " + caller.burst() + "); retry after " + retryAfter + " s";
			this.held.answer(request, () -> {
				response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
				JsonErrors.write(response, HttpStatus.TOO_MANY_REQUESTS, "TOO_MANY_REQUESTS", message);
			});
			return;
		}
		LimitedResponse limited = new LimitedResponse(response);
		request.setAttribute(LimitedResponse.ATTRIBUTE, limited);
		chain.doFilter(request, limited);
	}

}
