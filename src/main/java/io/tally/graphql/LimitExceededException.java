package io.tally.graphql;

/**
 * A caller asked for more than a limit allows (for example live subscriptions); the message names
 * the limit.
 */
public class LimitExceededException extends RuntimeException {

	public LimitExceededException(String message) {
		super(message);
	}

}
