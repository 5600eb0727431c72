package io.tally.pipeline;

import java.util.Map;

/**
 * The members of a GraphQL-over-HTTP request (a POST body, or a GET's parameters once decoded)
 * and the types the spec gives them, checked before anything is parsed, so a wrong one is a 400
 * that names it rather than an error deep in a handler.
 */
public final class GraphQlHttpRequest {

	private GraphQlHttpRequest() {
	}

	/** What is wrong with the request's members, in words a caller can act on; null when nothing is. */
	public static String wrongMember(Map<String, Object> request) {
		if (!isNullOr(request.get("query"), String.class)) {
			return "'query' must be a string holding a GraphQL document";
		}
		if (!isNullOr(request.get("operationName"), String.class)) {
			return "'operationName' must be a string naming an operation of the document";
		}
		if (!isNullOr(request.get("variables"), Map.class)) {
			return "'variables' must be a JSON object of variable names to values";
		}
		if (!isNullOr(request.get("extensions"), Map.class)) {
			return "'extensions' must be a JSON object";
		}
		Object persisted = extensions(request).get("persistedQuery");
		if (!isNullOr(persisted, Map.class)) {
			return "'extensions.persistedQuery' must be a JSON object with a 'sha256Hash'";
		}
		return null;
	}

	/** Whether the request names a registered document by its id. */
	public static boolean persistedQuery(Map<String, Object> request) {
		return extensions(request).get("persistedQuery") instanceof Map<?, ?>;
	}

	@SuppressWarnings("unchecked")
	public static Map<String, Object> extensions(Map<String, Object> request) {
		return (request.get("extensions") instanceof Map<?, ?> extensions) ? (Map<String, Object>) extensions : Map.of();
	}

	private static boolean isNullOr(Object value, Class<?> type) {
		return value == null || type.isInstance(value);
	}

}
