package io.tally.freshness;

import io.tally.catalog.ReportDefinition;

import org.springframework.stereotype.Component;

/**
 * Refreshes a report's view on request and makes this instance see the result at once, without
 * waiting for its own notification.
 */
@Component
public class ReportRefresh {

	private final ViewRefresher refresher;

	private final LedgerWatch ledgerWatch;

	private final LedgerSnapshot snapshot;

	ReportRefresh(ViewRefresher refresher, LedgerWatch ledgerWatch, LedgerSnapshot snapshot) {
		this.refresher = refresher;
		this.ledgerWatch = ledgerWatch;
		this.snapshot = snapshot;
	}

	/** Refreshes now, however recent the last refresh; returns the view's status afterwards. */
	public ViewStatus refreshNow(ReportDefinition report) {
		// History first: the recent part then starts where the new history ends.
		for (String view : report.materializedViews()) {
			this.refresher.refresh(view, report.refreshIntervalOf(view), true);
		}
		this.ledgerWatch.reload();
		return this.snapshot.status(report);
	}

}
