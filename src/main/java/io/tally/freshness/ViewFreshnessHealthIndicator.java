package io.tally.freshness;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code viewFreshness}: down while any report's view is older than its allowed
 * staleness or was never refreshed, naming each such view. It is deliberately not part of the
 * liveness or readiness groups: every instance reads the same views, so restarting an instance or
 * taking it out of the Service would not make the data any fresher, only the answers fewer.
 */
@Component("viewFreshness")
class ViewFreshnessHealthIndicator implements HealthIndicator {

	private final ReportCatalog catalog;

	private final LedgerSnapshot snapshot;

	private final Clock clock;

	ViewFreshnessHealthIndicator(ReportCatalog catalog, LedgerSnapshot snapshot, Clock clock) {
		this.catalog = catalog;
		this.snapshot = snapshot;
		this.clock = clock;
	}

	@Override
	public Health health() {
		Instant now = this.clock.instant();
		Map<String, Object> stale = new LinkedHashMap<>();
		for (ReportDefinition report : this.catalog.all()) {
			ViewStatus status = this.snapshot.status(report.view());
			Duration age = (status.refreshedAt() != null) ? Duration.between(status.refreshedAt(), now) : null;
			if (age == null || age.compareTo(report.maxStaleness()) > 0) {
				Map<String, Object> detail = new LinkedHashMap<>();
				detail.put("report", report.field());
				detail.put("ageSeconds", (age != null) ? age.toSeconds() : null);
				detail.put("maxStalenessSeconds", report.maxStaleness().toSeconds());
				detail.put("lastOutcome", (status.lastAttempt() != null) ? status.lastAttempt().outcome() : null);
				stale.putIfAbsent(report.view(), detail);
			}
		}
		return (stale.isEmpty() ? Health.up() : Health.down()).withDetail("staleViews", stale).build();
	}

}
