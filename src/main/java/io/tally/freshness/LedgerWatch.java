package io.tally.freshness;

import java.util.List;

import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Re-reads the ledger and announces a {@link ViewsRefreshed} event for the views whose data changed.
 */
@Component
class LedgerWatch {

	private static final Logger logger = LoggerFactory.getLogger(LedgerWatch.class);

	private final LedgerSnapshot snapshot;

	private final ReportCatalog catalog;

	private final ApplicationEventPublisher events;

	LedgerWatch(LedgerSnapshot snapshot, ReportCatalog catalog, ApplicationEventPublisher events) {
		this.snapshot = snapshot;
		this.catalog = catalog;
		this.events = events;
	}

	void reload() {
		List<String> changed = this.snapshot.reload();
		if (!changed.isEmpty()) {
			publish(changed, false);
		}
	}

	/** Refresh notifications may have been lost: every view may have changed. */
	void notificationsMissed() {
		publish(this.catalog.views(), true);
	}

	private void publish(List<String> views, boolean notificationsMissed) {
		List<String> reports = views.stream()
			.flatMap(view -> this.catalog.readingView(view).stream())
			.map(ReportDefinition::field)
			.toList();
		logger.debug("Views {} changed (notifications missed: {}); reports {}", views, notificationsMissed, reports);
		this.events.publishEvent(new ViewsRefreshed(views, reports, notificationsMissed));
	}

}
