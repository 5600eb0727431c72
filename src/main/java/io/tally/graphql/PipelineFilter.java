package io.tally.graphql;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A servlet filter of the pipeline ({@link PipelineOrder}): it acts once per request, on the
 * request's own dispatch, and lets an asynchronous or error dispatch of the same request pass, as
 * Spring's {@code OncePerRequestFilter} does by default. That class decides it with a request
 * attribute it names, sets and removes on every request, through every request wrapper: three
 * concurrent-map operations and a new string per filter, with the pipeline's and Spring
 * Security's filters together about a tenth of a trivial request's time (JFR). The dispatch type
 * says the same thing for free. Spring Boot registers a plain filter bean for the request
 * dispatch only; the check here holds wherever the filter is registered.
 */
public abstract class PipelineFilter implements Filter {

	@Override
	public final void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request.getDispatcherType() == DispatcherType.REQUEST && request instanceof HttpServletRequest http
				&& response instanceof HttpServletResponse httpResponse && !shouldNotFilter(http)) {
			doFilterInternal(http, httpResponse, chain);
		}
		else {
			chain.doFilter(request, response);
		}
	}

	/** Whether this request passes untouched (e.g. it is not for the GraphQL path). */
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return false;
	}

	protected abstract void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException;

}
