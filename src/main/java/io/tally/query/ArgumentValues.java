package io.tally.query;

import java.time.LocalDate;

import io.tally.graphql.BadRequestException;

/**
 * The checks every argument of a kind gets, whatever its report: a value is converted to the type
 * its SQL uses it as, and refused, named, when PostgreSQL could not take it, so a bad value is the
 * caller's error and never a failed query.
 */
final class ArgumentValues {

	/** ISO-8601's four-digit years: PostgreSQL's dates reach further, but date arithmetic near its ends overflows. */
	private static final int FIRST_YEAR = 1;

	private static final int LAST_YEAR = 9999;

	private ArgumentValues() {
	}

	/**
	 * Converts a GraphQL value to the type PostgreSQL described for its parameter.
	 * @param maxLength the most characters a string may have
	 */
	static Object convert(String argument, Object value, String postgresType, int maxLength) {
		if (value instanceof String text) {
			checkString(argument, text, maxLength);
		}
		if (value instanceof LocalDate date) {
			checkDate(argument, date);
		}
		if (value == null || postgresType == null) {
			return value;
		}
		try {
			return switch (postgresType) {
				case "int8" -> Long.valueOf(value.toString().trim());
				case "int4", "int2" -> Integer.valueOf(value.toString().trim());
				case "text", "varchar" -> value.toString();
				default -> value;
			};
		}
		catch (NumberFormatException ex) {
			throw new BadRequestException("Argument '" + argument + "' must be a whole number, not '" + value + "'");
		}
	}

	/** A date, given or defaulted, that PostgreSQL can compute with. */
	static void checkDate(String argument, LocalDate date) {
		if (date.getYear() < FIRST_YEAR || date.getYear() > LAST_YEAR) {
			throw new BadRequestException("Argument '" + argument + "' must be a date in the years " + FIRST_YEAR
					+ " to " + LAST_YEAR + ", not " + date);
		}
	}

	/**
	 * PostgreSQL's text cannot hold a NUL character; a lone UTF-16 surrogate is no character at all
	 * (the driver would send '?'); and a string past the limit is no region or name a report has.
	 */
	private static void checkString(String argument, String text, int maxLength) {
		if (text.length() > maxLength) {
			throw new BadRequestException("Argument '" + argument + "' has " + text.length()
					+ " characters; at most " + maxLength + " are allowed");
		}
		if (text.indexOf('\0') >= 0) {
			throw new BadRequestException("Argument '" + argument + "' contains a NUL character (\\u0000), which "
					+ "PostgreSQL cannot store");
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				throw new BadRequestException("Argument '" + argument + "' is not valid Unicode: it holds a lone "
						+ "surrogate (\\u" + Integer.toHexString(c) + ")");
			}
		}
	}

}
