package io.tally.graphql;

import graphql.execution.ExecutionContext;
import graphql.language.Field;
import graphql.language.Selection;

/**
 * An admin's introspection (GraphiQL's Docs panel and autocomplete) may nest deeper and select
 * more than the limits meant for report queries allow; for everyone else introspection stays
 * refused, and any document that reads more than the schema stays limited.
 */
public final class AdminIntrospection {

	/** GraphQL context key: set to true for a request whose verified token holds the admin role. */
	public static final String ADMIN_CALLER = "tally.adminCaller";

	private AdminIntrospection() {
	}

	static boolean exempt(ExecutionContext execution) {
		if (!Boolean.TRUE.equals(execution.getGraphQLContext().get(ADMIN_CALLER))) {
			return false;
		}
		for (Selection<?> selection : execution.getOperationDefinition().getSelectionSet().getSelections()) {
			if (!(selection instanceof Field field) || !field.getName().startsWith("__")) {
				return false;
			}
		}
		return true;
	}

}
