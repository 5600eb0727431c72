package io.tally.replica;

import java.util.Map;

import io.tally.catalog.ReportDefinition;
import io.tally.freshness.LedgerSnapshot;
import io.tally.freshness.ViewStatus;

/**
 * One source's copy of the refresh ledger: the primary's, or what a replica has replayed of it.
 * A kept answer read under a generation may be sent, and described, from any copy that holds
 * that generation now: the rows of a generation are the same on every source that has it.
 *
 * @param source "primary", or the replica's host, port and database
 * @param statuses each view's status in this copy
 */
public record LedgerCopy(String source, Map<String, ViewStatus> statuses) {

	/** The report's status in this copy over the parts an answer reads. */
	public ViewStatus status(ReportDefinition report, boolean touchesHistory) {
		return LedgerSnapshot.of(report, touchesHistory, this.statuses);
	}

}
