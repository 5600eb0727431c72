package io.tally.graphql;

/**
 * The caller is authenticated but may not do this; the message says why and is shown as is.
 */
public class ForbiddenException extends RuntimeException {

	public ForbiddenException(String message) {
		super(message);
	}

}
