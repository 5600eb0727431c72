package io.tally.catalog;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every report the schema declares, checked against its SQL at start-up.
 */
public final class ReportCatalog {

	private final Map<String, ReportDefinition> byField;

	ReportCatalog(List<ReportDefinition> reports) {
		this.byField = reports.stream()
			.collect(Collectors.toUnmodifiableMap(ReportDefinition::field, Function.identity()));
	}

	public List<ReportDefinition> all() {
		return this.byField.values().stream().sorted(java.util.Comparator.comparing(ReportDefinition::field)).toList();
	}

	public Optional<ReportDefinition> find(String field) {
		return Optional.ofNullable(this.byField.get(field));
	}

	/**
	 * The reports reading a materialized view (or a split view's part); usually one, but several
	 * fields may share a view.
	 */
	public List<ReportDefinition> readingView(String view) {
		return all().stream()
			.filter(report -> report.view().equals(view) || report.materializedViews().contains(view))
			.toList();
	}

	/** The distinct materialized views behind all reports, each part of a split view on its own. */
	public List<String> views() {
		return all().stream().flatMap(report -> report.materializedViews().stream()).distinct().toList();
	}

}
