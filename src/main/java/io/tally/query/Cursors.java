package io.tally.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.tally.graphql.BadRequestException;

/**
 * Opaque connection cursors. The value inside is the report query's own {@code cursor} column, so
 * paging is keyset-based and stable; the encoding only keeps clients from depending on it.
 */
final class Cursors {

	private static final String PREFIX = "tally:";

	private Cursors() {
	}

	static String encode(String value) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString((PREFIX + value).getBytes(StandardCharsets.UTF_8));
	}

	static String decode(String cursor) {
		try {
			String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			if (decoded.startsWith(PREFIX)) {
				return decoded.substring(PREFIX.length());
			}
		}
		catch (IllegalArgumentException ex) {
			// Not base64: reported below like any other foreign cursor.
		}
		throw new BadRequestException("Argument 'after' is not a cursor this connection returned");
	}

}
