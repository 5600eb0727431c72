package io.tally.query;

import java.time.Duration;
import java.util.Set;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How report queries run. (Each report's argument rules, such as its date range and page size,
 * are declared in its SDL.)
 *
 * @param statementTimeout The longest one report query may run before PostgreSQL cancels it
 * @param maxStringLength The most characters a string argument may have
 * @param genericPlans The reports (their Query field names) whose statements PostgreSQL plans once
 * per connection (a generic plan) rather than for every read; only reports measured as fast with a
 * generic plan as with a custom one belong here ({@code bench/explain.sh}), and not those whose
 * optional filters or keyset paging need a plan for the values actually given
 * @param compiled Whether a query document that executed without errors is compiled, so that
 * later requests for it are answered straight from the report rows instead of being executed field
 * by field; off, every request is executed
 */
@Validated
@ConfigurationProperties("tally.query")
public record QueryProperties(@DefaultValue("5s") @NotNull Duration statementTimeout,
		@DefaultValue("1000") @Min(1) int maxStringLength,
		@DefaultValue({ "dailyRevenue", "jobDurations", "planUsage", "salesVsTarget", "upsell" }) @NotNull Set<String> genericPlans,
		@DefaultValue("true") boolean compiled) {

	/** The {@code plan_cache_mode} a report's statements run with. */
	String planCacheMode(String report) {
		return this.genericPlans.contains(report) ? "force_generic_plan" : "force_custom_plan";
	}
}
