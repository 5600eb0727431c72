package io.tally.limits;

import graphql.GraphQLContext;

/**
 * Whose share of a tenant's limits an operation draws on: the tenant's own users', or that of the
 * {@code tally.limits.overrides} entry its caller matches (a partner's, an admin's), so those
 * callers never use up what the tenant's users are given.
 */
public final class LimitShares {

	private LimitShares() {
	}

	/** The share of the operation whose GraphQL context this is, for a read of {@code tenant}. */
	public static String of(GraphQLContext context, String tenant) {
		CallerLimits caller = context.get(CallerLimits.ATTRIBUTE);
		return (caller != null) ? caller.key() : "tenant:" + tenant;
	}

}
