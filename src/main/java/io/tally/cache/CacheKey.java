package io.tally.cache;

import java.util.Map;

/**
 * What identifies one cached answer.
 *
 * @param tenant the tenant it was read for
 * @param report the report's field name
 * @param generation the ledger id of the view refresh it was read after; a newer refresh makes a
 * new key, so an answer never outlives the view data it came from
 * @param arguments the normalized SQL parameters, defaults applied
 */
public record CacheKey(String tenant, String report, long generation, Map<String, Object> arguments) {
}
