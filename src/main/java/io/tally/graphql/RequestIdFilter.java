package io.tally.graphql;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id, taken from {@code X-Request-Id} when the caller or a proxy sent a
 * sane one, puts it in the logging context (so structured logs carry it) and echoes it in the
 * response, so a caller's report of a problem leads straight to its log lines.
 */
@Component
@Order(PipelineOrder.REQUEST_ID)
public class RequestIdFilter extends OncePerRequestFilter {

	static final String HEADER = "X-Request-Id";

	public static final String MDC_KEY = "requestId";

	/** Anything else is replaced, so a caller cannot inject text into the logs. */
	private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String given = request.getHeader(HEADER);
		String id = (given != null && SANE.matcher(given).matches()) ? given : UUID.randomUUID().toString();
		response.setHeader(HEADER, id);
		MDC.put(MDC_KEY, id);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(MDC_KEY);
		}
	}

}
