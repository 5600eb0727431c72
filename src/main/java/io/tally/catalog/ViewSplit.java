package io.tally.catalog;

import java.time.Duration;

/**
 * A report view held in two materialized views: {@code mv.<view>_recent}, the last tenant-local
 * days, refreshed on the report's interval, and {@code mv.<view>_history}, every older day,
 * refreshed on a longer one. {@code report.<view>} reads both, each day from exactly one.
 *
 * @param recent how many tenant-local days the recent part holds at least, as {@code P7D}
 * @param historyRefresh how often the history part is refreshed
 */
public record ViewSplit(Duration recent, Duration historyRefresh) {

	static final String RECENT = "_recent";

	static final String HISTORY = "_history";

	/** Whole days in the recent window. */
	public long recentDays() {
		return this.recent.toDays();
	}

	/** Whether a materialized view name is the history part of this view. */
	public static boolean isHistory(String materializedView) {
		return materializedView.endsWith(HISTORY);
	}

}
