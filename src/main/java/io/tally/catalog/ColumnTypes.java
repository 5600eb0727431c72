package io.tally.catalog;

import java.util.Map;
import java.util.Set;

/**
 * Which PostgreSQL column types may feed which GraphQL scalar. Narrower is fine (an int4 into a
 * Long); anything that could lose data or change meaning (numeric into Int, text into Date) is not.
 * A numeric may feed a Long because sums of bigint cents are numeric in PostgreSQL and may pass 64
 * bits; the Long scalar writes every digit and refuses a fraction instead of rounding it.
 */
final class ColumnTypes {

	private static final Map<String, Set<String>> COMPATIBLE = Map.of(
			"Int", Set.of("int2", "int4"),
			"Long", Set.of("int2", "int4", "int8", "numeric"),
			"Float", Set.of("float4", "float8"),
			"Decimal", Set.of("numeric"),
			"String", Set.of("text", "varchar", "bpchar", "name"),
			"ID", Set.of("text", "varchar", "int2", "int4", "int8"),
			"Boolean", Set.of("bool"),
			"Date", Set.of("date"),
			"DateTime", Set.of("timestamptz"));

	private ColumnTypes() {
	}

	static boolean isScalarKnown(String graphQlType) {
		return COMPATIBLE.containsKey(graphQlType);
	}

	static boolean fits(String postgresType, String graphQlType) {
		return COMPATIBLE.getOrDefault(graphQlType, Set.of()).contains(postgresType);
	}

	static String accepted(String graphQlType) {
		return String.join(" or ", COMPATIBLE.getOrDefault(graphQlType, Set.of()).stream().sorted().toList());
	}

}
