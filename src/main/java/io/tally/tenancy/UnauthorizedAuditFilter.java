package io.tally.tenancy;

import java.io.IOException;

import io.tally.graphql.PipelineFilter;
import io.tally.graphql.PipelineOrder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Writes every 401 to the security log with its reason, whichever part of Spring Security
 * answered it. Runs outside Spring Security's filters, so it sees the final status.
 */
@Component
@ConditionalOnWebApplication
@Order(PipelineOrder.UNAUTHORIZED_AUDIT)
class UnauthorizedAuditFilter extends PipelineFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (response.getStatus() == HttpStatus.UNAUTHORIZED.value()) {
				if (request.getAttribute(TokenAuthentication.REFUSAL) instanceof TokenAuthentication.Refusal refusal) {
					Audit.unauthorized(refusal.reason(), refusal.issuer(), refusal.keyId());
				}
				else {
					Audit.unauthorized((request.getHeader(HttpHeaders.AUTHORIZATION) == null) ? "No bearer token"
							: "The Authorization header holds no bearer token", null, null);
				}
			}
		}
	}

}
