package io.tally.freshness;

import java.time.Duration;

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

	private final FreshnessPolicy policy;

	RefreshAgeMetrics(ReportCatalog catalog, LedgerSnapshot snapshot, FreshnessPolicy policy) {
		this.catalog = catalog;
		this.snapshot = snapshot;
		this.policy = policy;
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
		Duration age = this.policy.age(this.snapshot.status(view));
		return (age != null) ? age.toMillis() / 1000.0 : Double.NaN;
	}

}
