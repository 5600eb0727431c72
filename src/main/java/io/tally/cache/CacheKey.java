package io.tally.cache;

import java.util.Map;
import java.util.Set;

/**
 * What identifies one cached answer.
 *
 * @param tenant the tenant it was read for
 * @param report the report's field name
 * @param generation the ledger id of the view refresh it was read after; a newer refresh makes a
 * new key, so an answer never outlives the view data it came from
 * @param arguments the normalized SQL parameters, defaults applied
 * @param sections the report's fields that were read: a request reads only the ones it selects
 * @param layouts how the sections' rows were written, when they were written as JSON for one
 * selection rather than read as rows (empty then)
 */
public record CacheKey(String tenant, String report, long generation, Map<String, Object> arguments,
		Set<String> sections, Map<String, ?> layouts) {

	/** The key of sections read as rows. */
	public CacheKey(String tenant, String report, long generation, Map<String, Object> arguments,
			Set<String> sections) {
		this(tenant, report, generation, arguments, sections, Map.of());
	}

}
