package io.tally.documents;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.tally.graphql.CachedBodyRequest;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.util.StreamUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a POST carry a registered document's id instead of its text: Spring for GraphQL needs a
 * {@code query}, so the registered text is put in before it reads the body. Only bodies naming a
 * {@code persistedQuery} are parsed here; it runs after the body-size filter.
 */
@Component
@ConditionalOnWebApplication
@Order(Ordered.LOWEST_PRECEDENCE)
class PersistedDocumentFilter extends OncePerRequestFilter {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final byte[] MARKER = "persistedQuery".getBytes(StandardCharsets.UTF_8);

	private static final byte[] EVENT_NEXT = "event:next\ndata:".getBytes(StandardCharsets.UTF_8);

	private static final byte[] EVENT_COMPLETE = "\n\nevent:complete\ndata:\n\n".getBytes(StandardCharsets.UTF_8);

	private final TrustedDocuments documents;

	private final String path;

	PersistedDocumentFilter(TrustedDocuments documents, GraphQlProperties graphQl) {
		this.documents = documents;
		this.path = graphQl.getHttp().getPath();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod()) || !this.path.equals(request.getServletPath());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		byte[] body = StreamUtils.copyToByteArray(request.getInputStream());
		if (!contains(body, MARKER)) {
			chain.doFilter(new CachedBodyRequest(request, body), response);
			return;
		}
		Map<String, Object> sent = json.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() {
		});
		@SuppressWarnings("unchecked")
		Map<String, Object> extensions = (sent.get("extensions") instanceof Map<?, ?> map)
				? (Map<String, Object>) map : null;
		try {
			sent.put("query", this.documents.resolve((String) sent.get("query"), extensions));
		}
		catch (PersistedDocumentException ex) {
			byte[] answer = json.writeValueAsBytes(ex.body());
			if (acceptsOnlyEventStream(request)) {
				// A subscription over SSE hears why as its stream's one event, as any other refusal.
				response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
				response.getOutputStream().write(EVENT_NEXT);
				response.getOutputStream().write(answer);
				response.getOutputStream().write(EVENT_COMPLETE);
				return;
			}
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.getOutputStream().write(answer);
			return;
		}
		chain.doFilter(new CachedBodyRequest(request, json.writeValueAsBytes(sent)), response);
	}

	private static boolean acceptsOnlyEventStream(HttpServletRequest request) {
		String accept = request.getHeader("Accept");
		return accept != null && accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE)
				&& !accept.contains(MediaType.APPLICATION_JSON_VALUE) && !accept.contains("application/graphql-response+json");
	}

	private static boolean contains(byte[] body, byte[] marker) {
		outer: for (int i = 0; i <= body.length - marker.length; i++) {
			for (int j = 0; j < marker.length; j++) {
				if (body[i + j] != marker[j]) {
					continue outer;
				}
			}
			return true;
		}
		return false;
	}

}
