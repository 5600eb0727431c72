package io.tally.freshness;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code viewFreshness}: down while any report's answers are stale by the
 * {@link FreshnessPolicy} (never refreshed, older than allowed, or the last refresh failed),
 * naming each such view and why. It is deliberately not part of the liveness or readiness groups:
 * every instance reads the same views, so restarting an instance or taking it out of the Service
 * would not make the data any fresher, only the answers fewer.
 */
@Component("viewFreshness")
class ViewFreshnessHealthIndicator implements HealthIndicator {

	private final ReportCatalog catalog;

	private final LedgerSnapshot snapshot;

	private final FreshnessPolicy policy;

	ViewFreshnessHealthIndicator(ReportCatalog catalog, LedgerSnapshot snapshot, FreshnessPolicy policy) {
		this.catalog = catalog;
		this.snapshot = snapshot;
		this.policy = policy;
	}

	@Override
	public Health health() {
		Map<String, Object> stale = new LinkedHashMap<>();
		for (ReportDefinition report : this.catalog.all()) {
			ViewStatus status = this.snapshot.status(report);
			if (this.policy.stale(report, status)) {
				Duration age = this.policy.age(status);
				Map<String, Object> detail = new LinkedHashMap<>();
				detail.put("report", report.field());
				detail.put("ageSeconds", (age != null) ? age.toSeconds() : null);
				detail.put("maxStalenessSeconds", report.maxStaleness().toSeconds());
				detail.put("lastOutcome", (status.lastAttempt() != null) ? status.lastAttempt().outcome() : null);
				detail.put("lastError", (status.lastAttempt() != null) ? status.lastAttempt().error() : null);
				stale.putIfAbsent(report.view(), detail);
			}
		}
		return (stale.isEmpty() ? Health.up() : Health.down()).withDetail("staleViews", stale).build();
	}

}
