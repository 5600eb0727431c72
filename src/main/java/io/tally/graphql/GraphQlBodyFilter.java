package io.tally.graphql;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Reads a GraphQL POST body before Spring for GraphQL does and lets through only one JSON object
 * of bounded size: a batch (a JSON array), a bare {@code null} or a scalar is a 400, an
 * oversized body a 413 and a body slower than {@code tally.graphql.body-read-timeout} a 408, all
 * before anything is parsed or executed. Runs after Spring Security, so an unauthenticated caller
 * learns nothing from it, and before anything else reads the body.
 */
@Component
@ConditionalOnWebApplication
@Order(Ordered.LOWEST_PRECEDENCE - 10)
class GraphQlBodyFilter extends OncePerRequestFilter {

	private final String path;

	private final int maxBodyBytes;

	private final Duration bodyReadTimeout;

	GraphQlBodyFilter(GraphQlLimitsProperties limits, GraphQlProperties graphQl) {
		this.path = graphQl.getHttp().getPath();
		this.bodyReadTimeout = limits.bodyReadTimeout();
		this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE - 1, limits.maxBodySize().toBytes());
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod()) || !this.path.equals(request.getServletPath());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		byte[] body = readWithinDeadline(request);
		if (body == null) {
			refuse(response, HttpStatus.REQUEST_TIMEOUT,
					"The request body did not arrive within " + this.bodyReadTimeout.toSeconds() + " seconds");
			return;
		}
		if (body.length > this.maxBodyBytes) {
			refuse(response, HttpStatus.CONTENT_TOO_LARGE, "The request body is larger than " + this.maxBodyBytes + " bytes");
			return;
		}
		if (firstSignificant(body) != '{') {
			refuse(response, HttpStatus.BAD_REQUEST,
					"The request body must be one JSON object with a 'query'; batches are not accepted");
			return;
		}
		// An answer that fits is sent in one write with its length (see SocketWrites).
		response.setBufferSize(SocketWrites.BYTES);
		chain.doFilter(new CachedBodyRequest(request, body), response);
	}

	/**
	 * Up to one byte more than the limit, or null when the body is late: each read waits at most
	 * the connector's timeout ({@code server.tomcat.connection-timeout}), and no read starts after
	 * the deadline, so a client dripping bytes is cut off however steadily it drips.
	 */
	private byte[] readWithinDeadline(HttpServletRequest request) throws IOException {
		long deadline = System.nanoTime() + this.bodyReadTimeout.toNanos();
		InputStream in = request.getInputStream();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int limit = this.maxBodyBytes + 1;
		while (body.size() < limit) {
			if (System.nanoTime() > deadline) {
				return null;
			}
			int read;
			try {
				read = in.read(buffer, 0, Math.min(buffer.length, limit - body.size()));
			}
			catch (SocketTimeoutException ex) {
				return null;
			}
			if (read < 0) {
				break;
			}
			body.write(buffer, 0, read);
		}
		return body.toByteArray();
	}

	private static int firstSignificant(byte[] body) {
		for (byte b : body) {
			if (b == (byte) 0xEF || b == (byte) 0xBB || b == (byte) 0xBF || Character.isWhitespace(b)) {
				continue;
			}
			return b;
		}
		return -1;
	}

	private static void refuse(HttpServletResponse response, HttpStatus status, String message) throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.getOutputStream()
			.write(("{\"errors\":[{\"message\":\"" + message + "\",\"extensions\":{\"classification\":\"BAD_REQUEST\"}}]}")
				.getBytes(StandardCharsets.UTF_8));
	}

}
