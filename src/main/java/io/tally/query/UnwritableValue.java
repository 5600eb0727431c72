package io.tally.query;

/**
 * A value read from a view that its field's scalar refuses to serialize (a fraction for a
 * {@code Long}, say). Execution answers that with an error on the field, so a request meeting one
 * while its rows are written straight to JSON is executed instead.
 */
public final class UnwritableValue extends RuntimeException {

	UnwritableValue(RuntimeException cause) {
		super(cause.getMessage(), cause);
	}

}
