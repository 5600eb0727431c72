package io.tally.query;

import java.time.Instant;
import java.util.Map;

import io.tally.cache.HeapEstimate;
import io.tally.response.Utf8Json;

/**
 * One answer as read from the view: the report type's fields except freshness.
 *
 * @param sections field name to value
 * @param readAt when it was read, which a cached answer reports as its {@code cachedAt}
 */
record ReportData(Map<String, Object> sections, Instant readAt) {

	/**
	 * The heap it keeps alive when cached: the record, its time and its rows, as maps or as JSON
	 * (which the map's estimate counts as a small unknown object, its bytes added here).
	 */
	long retainedBytes() {
		long json = 0;
		for (Object section : this.sections.values()) {
			json += (section instanceof Utf8Json written) ? written.retainedBytes() : 0;
		}
		return 24 + HeapEstimate.of(this.readAt) + HeapEstimate.of(this.sections) + json;
	}

}
