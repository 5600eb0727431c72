package io.tally.documents;

import java.util.Map;

import io.tally.graphql.JsonErrors;

/**
 * A document sent by id that cannot be used, answered in the standard persisted-query shape
 * (message {@code PersistedQueryNotFound} or {@code PersistedQueryIdInvalid}) that Apollo and
 * graphql-java clients recognize, so such a client may retry with the full text.
 */
public class PersistedDocumentException extends RuntimeException {

	private final String id;

	PersistedDocumentException(String code, String id) {
		super(code);
		this.id = id;
	}

	/** The GraphQL response body that says so. */
	public Map<String, Object> body() {
		return JsonErrors.body(getMessage(), getMessage(), Map.of("persistedQueryId", this.id));
	}

}
