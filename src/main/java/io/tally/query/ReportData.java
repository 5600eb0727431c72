package io.tally.query;

import java.time.Instant;
import java.util.Map;

import io.tally.cache.HeapEstimate;

/**
 * One answer as read from the view: the report type's fields except freshness.
 *
 * @param sections field name to value
 * @param readAt when it was read, which a cached answer reports as its {@code cachedAt}
 */
record ReportData(Map<String, Object> sections, Instant readAt) {

	/** The heap it keeps alive when cached: the record, its time and its rows. */
	long retainedBytes() {
		return 24 + HeapEstimate.of(this.readAt) + HeapEstimate.of(this.sections);
	}

}
