package io.tally.catalog;

/**
 * A result column of a report query and the GraphQL field it feeds.
 *
 * @param column the column label ({@code revenue_cents})
 * @param field the GraphQL field name ({@code revenueCents})
 * @param graphQlType the field's type name, without wrappers
 * @param nonNull whether the schema promises a value
 */
public record ReportColumn(String column, String field, String graphQlType, boolean nonNull) {
}
