package io.tally.freshness;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Refreshes each view at its own interval. Every instance runs this schedule; the refresher's
 * lock and its "refreshed recently" check make one of them do each refresh. A view shared by
 * several reports follows the most demanding one: the shortest interval, and quiet only while
 * every one of them is in its quiet window. A view kept incrementally is also rebuilt in full on
 * the slower rebuild schedule, which heals any change its change log missed.
 */
@Component
class RefreshScheduler {

	private static final Logger logger = LoggerFactory.getLogger(RefreshScheduler.class);

	private final ReportCatalog catalog;

	private final ViewRefresher refresher;

	private final TaskScheduler scheduler;

	private final FreshnessProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	RefreshScheduler(ReportCatalog catalog, ViewRefresher refresher, TaskScheduler scheduler,
			FreshnessProperties properties, Clock clock, MeterRegistry meters) {
		this.catalog = catalog;
		this.refresher = refresher;
		this.scheduler = scheduler;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
	}

	@EventListener(ApplicationReadyEvent.class)
	void start() {
		if (!this.properties.schedulerEnabled()) {
			return;
		}
		for (String view : this.catalog.views()) {
			// The first run is immediate: it populates a new view, and is skipped when the view is recent.
			this.scheduler.scheduleAtFixedRate(() -> tick(view), shortestInterval(view));
			if (this.refresher.incremental(view)) {
				this.scheduler.scheduleAtFixedRate(() -> rebuildTick(view), this.properties.rebuildInterval());
			}
		}
	}

	/**
	 * One scheduled turn for a view.
	 * @return what the refresher did, or empty when another instance had the lock or the view is
	 * in its quiet window
	 */
	Optional<ViewStatus.Outcome> tick(String view) {
		if (quiet(view)) {
			return Optional.empty();
		}
		return this.refresher.refresh(view, shortestInterval(view), false);
	}

	/**
	 * One scheduled full rebuild of an incremental view.
	 * @return what the refresher did, or empty when another instance had the lock or the view is
	 * in its quiet window
	 */
	Optional<ViewStatus.Outcome> rebuildTick(String view) {
		if (quiet(view)) {
			return Optional.empty();
		}
		return this.refresher.rebuild(view, this.properties.rebuildInterval());
	}

	private boolean quiet(String view) {
		List<ReportDefinition> reports = this.catalog.readingView(view);
		if (reports.stream().allMatch(report -> report.quietWindow() != null
				&& report.quietWindow().contains(this.clock.instant()))) {
			ViewRefresher.attempts(this.meters, view, "quiet").increment();
			logger.debug("Not refreshing mv.{}: quiet window", view);
			return true;
		}
		return false;
	}

	private Duration shortestInterval(String view) {
		return this.catalog.readingView(view)
			.stream()
			.map(report -> report.refreshIntervalOf(view))
			.min(Duration::compareTo)
			.orElseThrow();
	}

}
