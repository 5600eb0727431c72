package io.tally.freshness;

import java.time.Duration;

import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Refreshes each view at its own interval. Every instance runs this schedule; the refresher's
 * lock and its "refreshed recently" check make one of them do each refresh.
 */
@Component
class RefreshScheduler {

	private final ReportCatalog catalog;

	private final ViewRefresher refresher;

	private final TaskScheduler scheduler;

	private final FreshnessProperties properties;

	RefreshScheduler(ReportCatalog catalog, ViewRefresher refresher, TaskScheduler scheduler,
			FreshnessProperties properties) {
		this.catalog = catalog;
		this.refresher = refresher;
		this.scheduler = scheduler;
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		if (!this.properties.schedulerEnabled()) {
			return;
		}
		for (String view : this.catalog.views()) {
			Duration interval = shortestInterval(view);
			// The first run is immediate: it populates a new view, and is skipped when the view is recent.
			this.scheduler.scheduleAtFixedRate(() -> this.refresher.refresh(view, interval, false), interval);
		}
	}

	private Duration shortestInterval(String view) {
		return this.catalog.readingView(view)
			.stream()
			.map(ReportDefinition::refreshInterval)
			.min(Duration::compareTo)
			.orElseThrow();
	}

}
