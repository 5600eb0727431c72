package io.tally.query;

import java.util.List;

import graphql.schema.GraphQLScalarType;

/**
 * How a request writes each row of one report section: the row type's fields it selects, in
 * order, under their result keys. Given one, a read writes the section's rows as JSON straight
 * from the result set, with no map per row; the rows so written are cached under their layout.
 *
 * @param cells the selected fields, fragments merged and {@code @include}/{@code @skip} applied
 */
public record RowLayout(List<Cell> cells) {

	/**
	 * One selected field of a row.
	 * @param key its result key (its alias, else its name)
	 * @param field the row type's field, so a column of the section; null for {@code __typename}
	 * @param scalar the field's scalar, whose serialization writes the column's value; null for {@code __typename}
	 * @param typeName the row type's name, written for {@code __typename}; null otherwise
	 */
	public record Cell(String key, String field, GraphQLScalarType scalar, String typeName) {

		public static Cell column(String key, String field, GraphQLScalarType scalar) {
			return new Cell(key, field, scalar, null);
		}

		public static Cell typeName(String key, String typeName) {
			return new Cell(key, null, null, typeName);
		}

	}

}
