package io.tally.graphql;

import java.math.BigDecimal;
import java.math.RoundingMode;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;

import java.util.Locale;

/**
 * Exact money amounts as JSON strings with exactly two decimals ("1250.00"), so no client parses
 * them into a binary float and no trailing zero is lost. Every integer digit is kept, however many:
 * sums travel from PostgreSQL as unconstrained numeric.
 */
final class DecimalScalar {

	static final GraphQLScalarType INSTANCE = GraphQLScalarType.newScalar()
		.name("Decimal")
		.description("An exact decimal amount with every digit, serialized as a string with two decimals")
		.coercing(new DecimalCoercing())
		.build();

	private DecimalScalar() {
	}

	private static final class DecimalCoercing implements Coercing<BigDecimal, String> {

		@Override
		public String serialize(Object value, GraphQLContext context, Locale locale) {
			if (value instanceof BigDecimal decimal) {
				return decimal.setScale(2, RoundingMode.HALF_UP).toPlainString();
			}
			if (value instanceof Number number) {
				return new BigDecimal(number.toString()).setScale(2, RoundingMode.HALF_UP).toPlainString();
			}
			throw new CoercingSerializeException("Expected a decimal number but got " + value.getClass().getSimpleName());
		}

		@Override
		public BigDecimal parseValue(Object input, GraphQLContext context, Locale locale) {
			try {
				return new BigDecimal(input.toString());
			}
			catch (NumberFormatException ex) {
				throw new CoercingParseValueException("Expected a decimal number such as \"12.50\" but got '" + input + "'");
			}
		}

		@Override
		public BigDecimal parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
				Locale locale) {
			if (input instanceof StringValue string) {
				return parseValue(string.getValue(), context, locale);
			}
			if (input instanceof IntValue integer) {
				return new BigDecimal(integer.getValue());
			}
			if (input instanceof FloatValue decimal) {
				return decimal.getValue();
			}
			throw new CoercingParseLiteralException("Expected a decimal number such as \"12.50\"");
		}

	}

}
