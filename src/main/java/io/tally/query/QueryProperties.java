package io.tally.query;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How report queries run and which arguments they accept.
 *
 * @param statementTimeout The longest one report query may run before PostgreSQL cancels it
 * @param defaultRangeDays The days a date range covers, ending today, when {@code from} is left out
 * @param maxRangeDays The most days one date range may cover
 * @param defaultPageSize The page size of a connection when {@code first} is left out
 * @param maxPageSize The largest {@code first} a connection accepts
 */
@Validated
@ConfigurationProperties("tally.query")
public record QueryProperties(@DefaultValue("5s") @NotNull Duration statementTimeout,
		@DefaultValue("90") @Min(1) int defaultRangeDays, @DefaultValue("366") @Min(1) int maxRangeDays,
		@DefaultValue("50") @Min(1) int defaultPageSize, @DefaultValue("500") @Min(1) @Max(10_000) int maxPageSize) {
}
