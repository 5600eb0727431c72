package io.tally.query;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.tally.catalog.CatalogProperties;
import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import io.tally.catalog.ReportSection;

import org.springframework.stereotype.Component;

/**
 * The exact statement batch a report read sends, for tools that replay it outside the request
 * path: the benchmark's JDBC and pgbench floors run what Tally runs (same settings, same SQL,
 * same defaults and parameter values) instead of a copy that can drift.
 */
@Component
public class ReportStatements {

	private final ReportCatalog catalog;

	private final ReportArguments arguments;

	private final String role;

	private final String statementTimeout;

	private final QueryProperties properties;

	ReportStatements(ReportCatalog catalog, ReportArguments arguments, CatalogProperties catalogProperties,
			QueryProperties properties) {
		this.catalog = catalog;
		this.arguments = arguments;
		this.role = catalogProperties.queryRole();
		this.statementTimeout = String.valueOf(properties.statementTimeout().toMillis());
		this.properties = properties;
	}

	/**
	 * @param report the report's {@code Query} field
	 * @param tenant the tenant read
	 * @param graphQlArguments the field's arguments as a request gives them (defaults are applied)
	 * @param fields the report fields selected; every one when empty
	 * @return the batch: setup and sections in one string with {@code ?} placeholders, and its values
	 */
	public Batch batch(String report, String tenant, Map<String, Object> graphQlArguments, Set<String> fields) {
		ReportDefinition definition = this.catalog.find(report)
			.orElseThrow(() -> new IllegalArgumentException("No report '" + report + "'"));
		List<ReportSection> sections = definition.sections()
			.stream()
			.filter(section -> fields.isEmpty() || fields.contains(section.field()))
			.toList();
		ReportBatch batch = new ReportBatch(definition, sections,
				this.arguments.resolve(definition, graphQlArguments, tenant),
				ReportBatch.settings(this.role, tenant, this.statementTimeout, this.properties.planCacheMode(report)));
		return new Batch(batch.sql(), Collections.unmodifiableList(new ArrayList<>(batch.values())));
	}

	/** The cursor a connection hands out for a row's cursor-column value. */
	public static String cursor(String position) {
		return Cursors.encode(position);
	}

	/**
	 * @param sql the statements, {@code ;}-separated, with {@code ?} placeholders
	 * @param values the placeholders' values, in order; null is a typeless NULL
	 */
	public record Batch(String sql, List<Object> values) {
	}

}
