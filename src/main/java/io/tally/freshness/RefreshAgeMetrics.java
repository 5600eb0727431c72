package io.tally.freshness;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tally.catalog.ReportCatalog;

import org.springframework.stereotype.Component;

/**
 * {@code tally.refresh.age}: seconds since each view's last successful refresh, as this instance's
 * ledger snapshot knows it; NaN before the first one. Alert on it against the allowed staleness.
 */
@Component
class RefreshAgeMetrics implements MeterBinder {

	private final ReportCatalog catalog;

	private final LedgerSnapshot snapshot;

	private final Clock clock;

	RefreshAgeMetrics(ReportCatalog catalog, LedgerSnapshot snapshot, Clock clock) {
		this.catalog = catalog;
		this.snapshot = snapshot;
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (String view : this.catalog.views()) {
			Gauge.builder("tally.refresh.age", () -> age(view))
				.description("Seconds since the view's last successful refresh")
				.baseUnit("seconds")
				.tag("view", view)
				.register(registry);
		}
	}

	private double age(String view) {
		Instant refreshedAt = this.snapshot.status(view).refreshedAt();
		return (refreshedAt != null) ? Duration.between(refreshedAt, this.clock.instant()).toMillis() / 1000.0
				: Double.NaN;
	}

}
