package io.tally.pipeline;

import java.util.List;
import java.util.Map;

import graphql.language.Document;
import graphql.language.FragmentDefinition;
import graphql.language.OperationDefinition;
import io.tally.catalog.ReportDefinition;

/**
 * Everything known about one operation of one document, worked out once and kept
 * ({@link DocumentPlans}): the one place the pipeline, the kept answers, the compiled answers, ETags
 * and limits learn what a document does. A document that did not parse, or names no single
 * operation, has a plan too, saying so; execution then reports the error in its usual words.
 *
 * @param text the document's text as sent
 * @param operationName the operation asked for, or null
 * @param document the parsed document, or null when it did not parse
 * @param operation the operation to run, or null when it did not parse or none matches
 * @param fragments the document's fragments by name
 * @param rootReports the report fields at the root, in order (aliases included)
 * @param reportsOnly whether the root holds report fields and {@code __typename} only, as plain fields
 * @param reportFields the report fields asked for, as the cap counts them: every alias, through fragments
 * @param id the document's id, as trusted documents name it
 */
public record DocumentPlan(String text, String operationName, Document document, OperationDefinition operation,
		Map<String, FragmentDefinition> fragments,
		List<ReportDefinition> rootReports, boolean reportsOnly, int reportFields, String id) {

	/** Whether there is one operation to run. */
	public boolean runnable() {
		return this.operation != null;
	}

	/** The operation's type, or null when there is none to run. */
	public OperationDefinition.Operation type() {
		return (this.operation != null) ? this.operation.getOperation() : null;
	}

	public boolean isQuery() {
		return type() == OperationDefinition.Operation.QUERY;
	}

	/**
	 * Whether its answer depends on nothing but the tenant, the document, the variables and the
	 * generations of the views it reads, so it may be kept and revalidated: a query of reports
	 * only. Anything else at the root ({@code viewer} names the caller, admin fields, fragments) and
	 * any subscription or mutation is answered afresh every time.
	 */
	public boolean keepable() {
		return isQuery() && this.reportsOnly && !this.rootReports.isEmpty();
	}

}
