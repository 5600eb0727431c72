package io.tally.query;

import java.util.HashMap;
import java.util.Map;

import graphql.GraphQLContext;
import graphql.schema.DataFetchingEnvironment;

/**
 * The outcome of each report field of a request that a compiled query already read, answer or
 * failure, handed to standard execution when the compiled query cannot write the answer itself
 * (a field failed, or a value breaks its type): the report fetcher then returns or throws what was
 * already read instead of reading it again, so standard execution reports it exactly as it
 * always does and the database is asked once.
 */
public final class PrecomputedAnswers {

	private final Map<String, Object> byResultKey = new HashMap<>();

	/** A report field's answer, under its result key (its alias, else its name). */
	public void answered(String resultKey, Map<String, Object> answer) {
		this.byResultKey.put(resultKey, answer);
	}

	/** A report field whose read failed, under its result key. */
	public void failed(String resultKey, RuntimeException failure) {
		this.byResultKey.put(resultKey, failure);
	}

	/** Puts these outcomes where the report fetcher of this request's execution finds them. */
	public Map<Object, Object> asContext() {
		return Map.of(PrecomputedAnswers.class, this);
	}

	/**
	 * The outcome already read for the field being fetched, returned or thrown; null when none
	 * was (no compiled query ran, or this is not one of its fields).
	 */
	@SuppressWarnings("unchecked")
	static Map<String, Object> take(DataFetchingEnvironment environment) {
		GraphQLContext context = environment.getGraphQlContext();
		PrecomputedAnswers answers = (context != null) ? context.get(PrecomputedAnswers.class) : null;
		if (answers == null) {
			return null;
		}
		Object outcome;
		synchronized (answers) {
			outcome = answers.byResultKey.remove(environment.getMergedField().getResultKey());
		}
		if (outcome instanceof RuntimeException failure) {
			throw failure;
		}
		return (Map<String, Object>) outcome;
	}

}
