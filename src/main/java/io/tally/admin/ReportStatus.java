package io.tally.admin;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import io.tally.catalog.ReportDefinition;
import io.tally.freshness.ViewStatus;

/**
 * A report's refresh state as admins see it; the GraphQL {@code ReportStatus} type.
 */
record ReportStatus(String report, String view, String lastOutcome, OffsetDateTime lastRefreshStartedAt,
		OffsetDateTime lastRefreshFinishedAt, Long lastRefreshDurationMs, Long rowCount, String lastError,
		OffsetDateTime refreshedAt, int refreshIntervalSeconds, int maxStalenessSeconds) {

	static ReportStatus of(ReportDefinition report, ViewStatus status) {
		ViewStatus.Attempt last = status.lastAttempt();
		return new ReportStatus(report.field(), report.view(), (last != null) ? last.outcome().name() : null,
				utc((last != null) ? last.startedAt() : null), utc((last != null) ? last.finishedAt() : null),
				(last != null) ? last.finishedAt().toEpochMilli() - last.startedAt().toEpochMilli() : null,
				(last != null) ? last.rowCount() : null, (last != null) ? last.error() : null,
				utc(status.refreshedAt()), (int) report.refreshInterval().toSeconds(),
				(int) report.maxStaleness().toSeconds());
	}

	private static OffsetDateTime utc(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

}
