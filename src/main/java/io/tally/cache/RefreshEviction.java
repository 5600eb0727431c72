package io.tally.cache;

import io.tally.freshness.ViewsRefreshed;

import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Drops the cached answers of the reports whose view was refreshed: an answer never outlives the
 * view data it was read from. When refresh notifications may have been missed, it drops everything.
 */
@Component
class RefreshEviction {

	private final ReportCache cache;

	RefreshEviction(ReportCache cache) {
		this.cache = cache;
	}

	/** First, so whatever listens later (the refresh warm-up) fills a cache already emptied. */
	@EventListener
	@Order(0)
	void viewsRefreshed(ViewsRefreshed event) {
		if (event.notificationsMissed()) {
			this.cache.clear();
		}
		else {
			this.cache.evictReports(event.reports());
		}
	}

}
