package io.tally.freshness;

import java.util.List;

import io.tally.cache.ReportCache;
import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Re-reads the ledger and evicts the cached answers of every view whose data changed.
 */
@Component
class CacheCoherence {

	private static final Logger logger = LoggerFactory.getLogger(CacheCoherence.class);

	private final LedgerSnapshot snapshot;

	private final ReportCache cache;

	private final ReportCatalog catalog;

	CacheCoherence(LedgerSnapshot snapshot, ReportCache cache, ReportCatalog catalog) {
		this.snapshot = snapshot;
		this.cache = cache;
		this.catalog = catalog;
	}

	void apply() {
		List<String> changed = this.snapshot.reload();
		if (!changed.isEmpty()) {
			List<String> reports = changed.stream()
				.flatMap(view -> this.catalog.readingView(view).stream())
				.map(ReportDefinition::field)
				.toList();
			this.cache.evictReports(reports);
			logger.debug("Views {} changed; evicted the cached answers of {}", changed, reports);
		}
	}

	void clearCache() {
		this.cache.clear();
	}

}
