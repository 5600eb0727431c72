package io.tally.catalog;

/**
 * An argument of a report field that is bound to its SQL.
 *
 * @param name the GraphQL argument name ({@code providerId})
 * @param parameter the SQL parameter name ({@code provider_id})
 * @param graphQlType the argument's GraphQL type name, without list or non-null wrappers
 * @param required whether the schema makes it non-null
 */
public record ReportArgument(String name, String parameter, String graphQlType, boolean required) {
}
