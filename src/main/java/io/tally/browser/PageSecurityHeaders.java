package io.tally.browser;

import java.io.IOException;

import io.tally.graphql.PipelineFilter;
import io.tally.graphql.PipelineOrder;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * GraphiQL and the portal handle tokens, so their pages may load and talk to nothing but this
 * origin: no inline script, no third-party script, style or connection, no framing. Every other
 * answer Tally serves (GraphQL, errors, the demo's key set) carries the same headers, so no
 * response of this origin can be framed or run anything from elsewhere; set first, so answers
 * Spring Security writes itself (a 401) carry them too.
 */
@Component
@ConditionalOnWebApplication
@Order(PipelineOrder.SECURITY_HEADERS)
class PageSecurityHeaders extends PipelineFilter {

	static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; "
			+ "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader("Content-Security-Policy", POLICY);
		response.setHeader("Referrer-Policy", "no-referrer");
		response.setHeader("X-Content-Type-Options", "nosniff");
		chain.doFilter(request, response);
	}

}
