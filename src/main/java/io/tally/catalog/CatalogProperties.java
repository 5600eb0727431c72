package io.tally.catalog;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where reports come from and whom they run as.
 *
 * @param sqlLocation The folder holding one sub-folder of SQL files per report view
 * @param queryRole The PostgreSQL role every report query runs as; it may read only the
 * tenant-filtered views
 */
@Validated
@ConfigurationProperties("tally.catalog")
public record CatalogProperties(@DefaultValue("classpath:sql/reports/") @NotBlank String sqlLocation,
		@DefaultValue("tally_reader") @Pattern(regexp = "[a-z_][a-z0-9_]*") String queryRole) {
}
