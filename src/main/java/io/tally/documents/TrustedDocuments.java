package io.tally.documents;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.ResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * The documents registered at start-up, by id: the lower-case hex SHA-256 of the file's exact
 * text, as Apollo's persisted queries and The Guild's trusted documents compute it, so a client
 * build step can compute the same ids.
 */
@Component
public class TrustedDocuments {

	private static final Logger logger = LoggerFactory.getLogger(TrustedDocuments.class);

	private final Map<String, String> byId = new HashMap<>();

	TrustedDocuments(DocumentsProperties properties, ResourcePatternResolver resources) throws IOException {
		for (String location : properties.locations()) {
			for (Resource resource : resources.getResources(location)) {
				if (resource.isReadable()) {
					String text = resource.getContentAsString(StandardCharsets.UTF_8);
					this.byId.put(id(text), text);
				}
			}
		}
		logger.info("Registered {} trusted documents from {}", this.byId.size(), properties.locations());
	}

	/** The registered document with this id. */
	public Optional<String> find(String id) {
		return Optional.ofNullable(this.byId.get(id));
	}

	/**
	 * The text of a request's document: the {@code query} as sent, or, when only an id is sent (as
	 * {@code extensions.persistedQuery.sha256Hash}), the registered document with that id.
	 * @throws PersistedDocumentException when the id is unknown, or does not match the text sent with it
	 */
	public String resolve(String query, Map<String, Object> extensions) {
		Object persisted = (extensions != null) ? extensions.get("persistedQuery") : null;
		Object id = (persisted instanceof Map<?, ?> map) ? map.get("sha256Hash") : null;
		if (!(id instanceof String hash)) {
			return query;
		}
		if (query != null && !query.isBlank()) {
			if (!id(query).equals(hash)) {
				throw new PersistedDocumentException("PersistedQueryIdInvalid", hash);
			}
			return query;
		}
		return find(hash).orElseThrow(() -> new PersistedDocumentException("PersistedQueryNotFound", hash));
	}

	/** Whether this exact text was registered. */
	public boolean isTrusted(String text) {
		return text != null && this.byId.containsKey(id(text));
	}

	/** A document's id: the lower-case hex SHA-256 of its UTF-8 text. */
	public static String id(String text) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(hash);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JVM has SHA-256", ex);
		}
	}

	int size() {
		return this.byId.size();
	}

}
