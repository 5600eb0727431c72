package io.tally.graphql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

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
 * of bounded size: a batch (a JSON array), a bare {@code null} or a scalar is a 400 and an
 * oversized body a 413, all before anything is parsed or executed. Runs after Spring Security, so
 * an unauthenticated caller learns nothing from it, and before anything else reads the body.
 */
@Component
@ConditionalOnWebApplication
@Order(Ordered.LOWEST_PRECEDENCE - 10)
class GraphQlBodyFilter extends OncePerRequestFilter {

	private final String path;

	private final int maxBodyBytes;

	GraphQlBodyFilter(GraphQlLimitsProperties limits, GraphQlProperties graphQl) {
		this.path = graphQl.getHttp().getPath();
		this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE - 1, limits.maxBodySize().toBytes());
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod()) || !this.path.equals(request.getServletPath());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		byte[] body = request.getInputStream().readNBytes(this.maxBodyBytes + 1);
		if (body.length > this.maxBodyBytes) {
			refuse(response, HttpStatus.CONTENT_TOO_LARGE, "The request body is larger than " + this.maxBodyBytes + " bytes");
			return;
		}
		if (firstSignificant(body) != '{') {
			refuse(response, HttpStatus.BAD_REQUEST,
					"The request body must be one JSON object with a 'query'; batches are not accepted");
			return;
		}
		chain.doFilter(new CachedBodyRequest(request, body), response);
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
