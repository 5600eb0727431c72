package io.tally.graphql;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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
 * Instants as ISO-8601 with their offset and always six fraction digits: PostgreSQL stores
 * microseconds, and two rows a microsecond apart must print differently and round-trip exactly
 * (the extended scalars' DateTime cuts to milliseconds).
 */
final class DateTimeScalar {

	static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX", Locale.ROOT);

	static final GraphQLScalarType INSTANCE = GraphQLScalarType.newScalar()
		.name("DateTime")
		.description("An instant, ISO-8601 with its offset and microseconds (2026-11-21T09:30:00.123456Z)")
		.coercing(new DateTimeCoercing())
		.build();

	private DateTimeScalar() {
	}

	private static final class DateTimeCoercing implements Coercing<OffsetDateTime, String> {

		@Override
		public String serialize(Object value, GraphQLContext context, Locale locale) {
			if (value instanceof OffsetDateTime offset) {
				return FORMAT.format(offset);
			}
			if (value instanceof ZonedDateTime zoned) {
				return FORMAT.format(zoned.toOffsetDateTime());
			}
			if (value instanceof Instant instant) {
				return FORMAT.format(instant.atOffset(ZoneOffset.UTC));
			}
			throw new CoercingSerializeException("Expected an OffsetDateTime but got " + value.getClass().getSimpleName());
		}

		@Override
		public OffsetDateTime parseValue(Object input, GraphQLContext context, Locale locale) {
			OffsetDateTime parsed = (input instanceof String text) ? parse(text) : null;
			if (parsed == null) {
				throw new CoercingParseValueException(
						"Expected a date-time with offset such as \"2026-03-01T09:30:00Z\" but got '" + input + "'");
			}
			return parsed;
		}

		@Override
		public OffsetDateTime parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
				Locale locale) {
			OffsetDateTime parsed = (input instanceof StringValue string) ? parse(string.getValue()) : null;
			if (parsed == null) {
				throw new CoercingParseLiteralException("Expected a date-time with offset such as \"2026-03-01T09:30:00Z\"");
			}
			return parsed;
		}

		private static OffsetDateTime parse(String text) {
			try {
				return OffsetDateTime.parse(text);
			}
			catch (DateTimeParseException ex) {
				return null;
			}
		}

	}

}
