package io.tally.catalog;

import java.util.List;

/**
 * The schema's reports do not match their SQL; start-up stops with every problem listed.
 */
public class ReportCatalogException extends IllegalStateException {

	private final List<String> problems;

	ReportCatalogException(List<String> problems) {
		super("The report schema does not match its SQL:\n - " + String.join("\n - ", problems));
		this.problems = List.copyOf(problems);
	}

	public List<String> problems() {
		return this.problems;
	}

}
