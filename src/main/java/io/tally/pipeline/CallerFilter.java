package io.tally.pipeline;

import java.io.IOException;
import java.util.UUID;

import io.tally.graphql.PipelineFilter;
import io.tally.graphql.PipelineOrder;
import io.tally.graphql.RequestIdFilter;
import io.tally.limits.RequestLimits;
import io.tally.tenancy.CallerDecision;
import io.tally.tenancy.TenancyProperties;
import io.tally.tenancy.TenantResolver;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.core.annotation.Order;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The caller, once: right after Spring Security has verified the token, decides who asks, which
 * tenant it reads and the limits it is held to, and puts that {@link RequestContext} into the
 * request for every later step (GET, POST and SSE alike).
 */
@Component
@ConditionalOnWebApplication
@Order(PipelineOrder.CALLER)
class CallerFilter extends PipelineFilter {

	private final TenantResolver tenants;

	private final RequestLimits limits;

	private final String tenantHeader;

	private final String path;

	CallerFilter(TenantResolver tenants, RequestLimits limits, TenancyProperties tenancy, GraphQlProperties graphQl) {
		this.tenants = tenants;
		this.limits = limits;
		this.tenantHeader = tenancy.tenantHeader();
		this.path = graphQl.getHttp().getPath();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !this.path.equals(request.getServletPath());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		CallerDecision caller = this.tenants.decide(SecurityContextHolder.getContext().getAuthentication(),
				request.getHeader(this.tenantHeader));
		if (caller != null) {
			String requestId = MDC.get(RequestIdFilter.MDC_KEY);
			request.setAttribute(RequestContext.ATTRIBUTE, new RequestContext(
					(requestId != null) ? requestId : UUID.randomUUID().toString(), caller, this.limits.of(caller)));
		}
		chain.doFilter(request, response);
	}

}
