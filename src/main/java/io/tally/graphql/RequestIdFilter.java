package io.tally.graphql;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Gives every request an id, taken from {@code X-Request-Id} when the caller or a proxy sent a
 * sane one, puts it in the logging context (so structured logs carry it) and echoes it in the
 * response, so a caller's report of a problem leads straight to its log lines.
 */
@Component
@Order(PipelineOrder.REQUEST_ID)
public class RequestIdFilter extends PipelineFilter {

	static final String HEADER = "X-Request-Id";

	public static final String MDC_KEY = "requestId";

	/** Anything else is replaced, so a caller cannot inject text into the logs. */
	private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String given = request.getHeader(HEADER);
		String id = (given != null && SANE.matcher(given).matches()) ? given : newId();
		response.setHeader(HEADER, id);
		MDC.put(MDC_KEY, id);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(MDC_KEY);
		}
	}

	/**
	 * A random (version 4) UUID from the thread's own generator. An id only has to be unique, not
	 * unguessable, and {@link UUID#randomUUID()} draws from the one shared {@code SecureRandom},
	 * which every request thread then waits for in turn.
	 */
	static String newId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long high = (random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
		return new UUID(high, low).toString();
	}

}
