package io.tally.graphql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.Value;
import graphql.scalars.ExtendedScalars;
import graphql.schema.Coercing;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;

/**
 * Whole numbers as JSON numbers with every digit. Arguments are 64-bit, as in the extended
 * scalars' Long; results may be larger: a sum of cents is exact however big (PostgreSQL sums
 * bigint into numeric), so a tenant's total is never an overflow error. A value with a fraction
 * is refused rather than rounded.
 */
final class LongScalar {

	@SuppressWarnings("unchecked")
	private static final Coercing<Object, Object> ARGUMENTS = (Coercing<Object, Object>) ExtendedScalars.GraphQLLong
		.getCoercing();

	static final GraphQLScalarType INSTANCE = GraphQLScalarType.newScalar()
		.name("Long")
		.description("A whole number, used for money in cents and counts; a JSON number with every digit, "
				+ "which a sum may carry past 64 bits")
		.coercing(new LongCoercing())
		.build();

	private LongScalar() {
	}

	private static final class LongCoercing implements Coercing<Object, Number> {

		@Override
		public Number serialize(Object value, GraphQLContext context, Locale locale) {
			if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof BigInteger) {
				return (Number) value;
			}
			if (value instanceof BigDecimal decimal) {
				try {
					BigInteger whole = decimal.toBigIntegerExact();
					return (whole.bitLength() < Long.SIZE) ? (Number) whole.longValue() : whole;
				}
				catch (ArithmeticException ex) {
					throw new CoercingSerializeException("Expected a whole number but got " + decimal.toPlainString());
				}
			}
			throw new CoercingSerializeException("Expected a whole number but got " + value.getClass().getSimpleName());
		}

		@Override
		public Object parseValue(Object input, GraphQLContext context, Locale locale) {
			return ARGUMENTS.parseValue(input, context, locale);
		}

		@Override
		public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
			return ARGUMENTS.parseLiteral(input, variables, context, locale);
		}

		@Override
		public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
			return ARGUMENTS.valueToLiteral(input, context, locale);
		}

	}

}
