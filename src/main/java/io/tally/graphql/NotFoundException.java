package io.tally.graphql;

/**
 * Something the caller named does not exist; the message names it and is shown as is.
 */
public class NotFoundException extends RuntimeException {

	public NotFoundException(String message) {
		super(message);
	}

}
