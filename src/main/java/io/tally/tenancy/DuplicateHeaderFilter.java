package io.tally.tenancy;

import java.io.IOException;
import java.util.Collections;
import java.util.List;

import io.tally.graphql.JsonErrors;
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
 * A request with two {@code Authorization} or two tenant headers is a 400: which one counts would
 * otherwise depend on which component reads the first, and a proxy in front might check the
 * other.
 */
@Component
@ConditionalOnWebApplication
@Order(PipelineOrder.DUPLICATE_HEADERS)
class DuplicateHeaderFilter extends PipelineFilter {

	private final List<String> singleHeaders;

	DuplicateHeaderFilter(TenancyProperties properties) {
		this.singleHeaders = List.of(HttpHeaders.AUTHORIZATION, properties.tenantHeader());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		for (String header : this.singleHeaders) {
			if (Collections.list(request.getHeaders(header)).size() > 1) {
				JsonErrors.write(response, HttpStatus.BAD_REQUEST, "BAD_REQUEST",
						"The header " + header + " was sent more than once; send it once");
				return;
			}
		}
		chain.doFilter(request, response);
	}

}
