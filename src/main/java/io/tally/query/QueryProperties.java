package io.tally.query;

import java.time.Duration;

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
 */
@Validated
@ConfigurationProperties("tally.query")
public record QueryProperties(@DefaultValue("5s") @NotNull Duration statementTimeout,
		@DefaultValue("1000") @Min(1) int maxStringLength) {
}
