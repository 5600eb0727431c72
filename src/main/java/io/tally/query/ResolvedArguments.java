package io.tally.query;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A report request's arguments after defaults and validation: what the SQL gets and what
 * identifies the answer in the cache.
 *
 * @param parameters SQL parameter name to value, defaults applied, in a stable order
 * @param page the requested page of a connection, or null for other reports
 */
record ResolvedArguments(Map<String, Object> parameters, Page page) {

	/** Everything that changes the answer, for the cache key. */
	Map<String, Object> cacheKey() {
		if (this.page == null) {
			return this.parameters;
		}
		Map<String, Object> key = new LinkedHashMap<>(this.parameters);
		key.put("$first", this.page.first());
		key.put("$after", this.page.after());
		return key;
	}

	/**
	 * @param first how many edges to return
	 * @param after the decoded cursor to continue after, or null for the first page
	 */
	record Page(int first, Object after) {
	}

}
