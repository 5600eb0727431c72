package io.tally.catalog;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Per-report refresh policy overriding the schema's {@code @report} directive, so operators tune
 * a deployment without changing the schema: {@code tally.reports.dailyRevenue.refresh=1m}.
 *
 * @param reports The overrides, keyed by the report's {@code Query} field name
 */
@Validated
@ConfigurationProperties("tally")
public record ReportPolicyProperties(@DefaultValue Map<String, @Valid Policy> reports) {

	/**
	 * One report's overrides; what is left out comes from its directive.
	 *
	 * @param refresh How often the report's view is refreshed; absent, the directive's {@code refresh}
	 * @param maxStaleness How old its data may get before answers are marked stale; absent, the
	 * directive's {@code maxStaleness}, or twice the refresh interval
	 * @param quietWindow A daily UTC window such as {@code 02:00-04:00} (it may wrap past midnight) in
	 * which no scheduled refresh runs; absent, the directive's {@code quietWindow}, or none
	 * @param historyRefresh How often the history part of a split report's view is refreshed; absent,
	 * the directive's {@code historyRefresh}; refused at start-up for a report whose directive
	 * declares no {@code recent:}
	 */
	public record Policy(@DurationMin(seconds = 1) Duration refresh, @DurationMin(seconds = 1) Duration maxStaleness,
			@Pattern(regexp = QuietWindow.FORMAT, message = "must be a UTC time window such as 02:00-04:00") String quietWindow,
			@DurationMin(seconds = 1) Duration historyRefresh) {
	}

}
