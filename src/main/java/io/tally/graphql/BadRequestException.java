package io.tally.graphql;

/**
 * A caller's input is wrong; the message names the argument and is shown to the caller as is.
 */
public class BadRequestException extends RuntimeException {

	public BadRequestException(String message) {
		super(message);
	}

}
