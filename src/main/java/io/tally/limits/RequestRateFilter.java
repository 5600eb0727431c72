package io.tally.limits;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.github.bucket4j.ConsumptionProbe;
import io.tally.graphql.GraphQlLimitsProperties;
import io.tally.tenancy.TenancyProperties;
import io.tally.tenancy.TenantResolver;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Each tenant's GraphQL requests drain a token bucket of its own (Bucket4j); an empty bucket is a
 * 429 with {@code Retry-After}, answered before the request is parsed, executed or looked up in
 * any cache (held back a moment first: {@link HeldRejections}). Runs right after Spring Security,
 * so the bucket is chosen by the verified token.
 */
@Component
@ConditionalOnWebApplication
@Order(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 10)
class RequestRateFilter extends OncePerRequestFilter {

	private final RequestBuckets buckets;

	private final TenantResolver tenants;

	private final TenancyProperties tenancy;

	private final LimitsProperties limits;

	private final GraphQlLimitsProperties graphQl;

	private final LimitRejections rejections;

	private final HeldRejections held;

	private final String path;

	RequestRateFilter(RequestBuckets buckets, TenantResolver tenants, TenancyProperties tenancy, LimitsProperties limits,
			GraphQlLimitsProperties graphQl, LimitRejections rejections, HeldRejections held,
			GraphQlProperties graphQlProperties) {
		this.buckets = buckets;
		this.tenants = tenants;
		this.tenancy = tenancy;
		this.limits = limits;
		this.graphQl = graphQl;
		this.rejections = rejections;
		this.held = held;
		this.path = graphQlProperties.getHttp().getPath();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !this.path.equals(request.getServletPath());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		CallerLimits caller = this.tenants.requester(request.getHeader(this.tenancy.tenantHeader()))
			.map(requester -> CallerLimits.of(requester, this.limits, this.graphQl.maxReportFields()))
			.orElse(null);
		if (caller == null) {
			chain.doFilter(request, response);
			return;
		}
		ConsumptionProbe probe = this.buckets.take(caller);
		if (!probe.isConsumed()) {
			this.rejections.count("rate");
			long retryAfter = RequestBuckets.retryAfter(probe);
			byte[] body = ("{\"errors\":[{\"message\":\"Too many requests for this tenant: at most "
					+ caller.requestsPerSecond() + " a second (bursts of " + caller.burst() + "); retry after "
					+ retryAfter + " s\",\"extensions\":{\"classification\":\"TOO_MANY_REQUESTS\"}}]}")
				.getBytes(StandardCharsets.UTF_8);
			this.held.answer(request, () -> {
				response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
				response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
				response.setContentType(MediaType.APPLICATION_JSON_VALUE);
				response.getOutputStream().write(body);
			});
			return;
		}
		request.setAttribute(CallerLimits.ATTRIBUTE, caller);
		LimitedResponse limited = new LimitedResponse(response);
		request.setAttribute(LimitedResponse.ATTRIBUTE, limited);
		chain.doFilter(request, limited);
	}

}
