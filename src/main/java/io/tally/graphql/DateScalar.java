package io.tally.graphql;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;

/**
 * ISO-8601 calendar dates, parsed strictly: "2026-02-30" is an error, not quietly the 28th, since
 * a report over a silently different range is a wrong answer.
 */
final class DateScalar {

	static final GraphQLScalarType INSTANCE = GraphQLScalarType.newScalar()
		.name("Date")
		.description("A calendar date, ISO-8601 (2026-11-21)")
		.coercing(new DateCoercing())
		.build();

	private DateScalar() {
	}

	private static final class DateCoercing implements Coercing<LocalDate, String> {

		@Override
		public String serialize(Object value, GraphQLContext context, Locale locale) {
			if (value instanceof LocalDate date) {
				return date.toString();
			}
			throw new CoercingSerializeException("Expected a LocalDate but got " + value.getClass().getSimpleName());
		}

		@Override
		public LocalDate parseValue(Object input, GraphQLContext context, Locale locale) {
			if (input instanceof String text) {
				try {
					return LocalDate.parse(text);
				}
				catch (DateTimeParseException ex) {
					// Falls through to the message below.
				}
			}
			throw new CoercingParseValueException("Expected a date such as \"2026-03-01\" but got '" + input + "'");
		}

		@Override
		public LocalDate parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
				Locale locale) {
			if (input instanceof StringValue string) {
				try {
					return LocalDate.parse(string.getValue());
				}
				catch (DateTimeParseException ex) {
					// Falls through to the message below.
				}
			}
			String given = (input instanceof StringValue string) ? " but got '" + string.getValue() + "'" : "";
			throw new CoercingParseLiteralException("Expected a date such as \"2026-03-01\"" + given);
		}

	}

}
