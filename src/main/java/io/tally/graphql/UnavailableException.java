package io.tally.graphql;

/**
 * The answer cannot be given right now but may be later; the message says why and is shown as is.
 */
public class UnavailableException extends RuntimeException {

	public UnavailableException(String message) {
		super(message);
	}

}
