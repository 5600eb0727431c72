package io.tally.graphql;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * The one writer of GraphQL-shaped error bodies for answers given before or outside execution (a
 * refused token, body, rate or document): {@code {"errors":[{"message":…,"extensions":
 * {"classification":…}}]}}, written by Jackson so a message can never break the JSON. Execution's
 * own errors are written by Spring for GraphQL in the same shape.
 */
public final class JsonErrors {

	private static final JsonMapper json = JsonMapper.builder().build();

	private JsonErrors() {
	}

	/**
	 * The body of one error.
	 * @param classification what kind of error it is ({@code BAD_REQUEST}, {@code TOO_MANY_REQUESTS}, …)
	 * @param message what was wrong, in words a caller can act on
	 * @param extensions further extensions, after the classification
	 */
	public static Map<String, Object> body(String classification, String message, Map<String, Object> extensions) {
		Map<String, Object> all = new LinkedHashMap<>();
		all.put("classification", classification);
		all.putAll(extensions);
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("message", message);
		error.put("extensions", all);
		return Map.of("errors", List.of(error));
	}

	/** Writes one error as the whole answer, with this status. */
	public static void write(HttpServletResponse response, HttpStatus status, String classification, String message)
			throws IOException {
		write(response, status, body(classification, message, Map.of()));
	}

	/**
	 * Writes an error body as a GraphQL-over-SSE stream of one {@code next} event and its
	 * {@code complete}, for a subscription refused before its stream began.
	 */
	public static void writeEvent(HttpServletResponse response, Map<String, Object> body) throws IOException {
		response.setStatus(HttpStatus.OK.value());
		response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
		response.getOutputStream()
			.write(("event:next\ndata:" + json.writeValueAsString(body) + "\n\nevent:complete\ndata:\n\n")
				.getBytes(StandardCharsets.UTF_8));
	}

	/** Writes an error body as the whole answer, with this status. */
	public static void write(HttpServletResponse response, HttpStatus status, Map<String, Object> body)
			throws IOException {
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.getOutputStream().write(json.writeValueAsBytes(body));
	}

}
