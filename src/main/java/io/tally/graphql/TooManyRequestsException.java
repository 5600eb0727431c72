package io.tally.graphql;

/**
 * The caller's tenant is using all it may at the moment; the message says which limit, and the
 * answer is a 429 with {@code Retry-After}.
 */
public class TooManyRequestsException extends RuntimeException {

	public TooManyRequestsException(String message) {
		super(message);
	}

}
