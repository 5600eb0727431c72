package io.tally.limits;

import java.util.List;
import java.util.Map;

import graphql.ExecutionResult;
import graphql.GraphQLContext;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import io.tally.catalog.ReportCatalog;
import io.tally.graphql.GraphQlLimitsProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.stereotype.Component;

/**
 * At most {@code tally.graphql.max-report-fields} report fields per request (or the caller's
 * override), each alias counting, through fragments too: checked when execution begins, before
 * any data fetcher, so an over-cap request runs no SQL. Without it one request of 48 aliases of
 * one report runs 48 reads.
 */
@Component
public class ReportFieldCap extends SimplePerformantInstrumentation {

	/** Looked up when first needed: the catalog is built from the GraphQL schema this instruments. */
	private final ObjectProvider<ReportCatalog> catalog;

	private final int defaultCap;

	private final LimitRejections rejections;

	ReportFieldCap(ObjectProvider<ReportCatalog> catalog, GraphQlLimitsProperties limits, LimitRejections rejections) {
		this.catalog = catalog;
		this.defaultCap = limits.maxReportFields();
		this.rejections = rejections;
	}

	@Override
	public InstrumentationContext<ExecutionResult> beginExecuteOperation(
			InstrumentationExecuteOperationParameters parameters, InstrumentationState state) {
		ExecutionContext execution = parameters.getExecutionContext();
		OperationDefinition operation = execution.getOperationDefinition();
		if (operation.getOperation() != OperationDefinition.Operation.QUERY) {
			return null;
		}
		int cap = cap(execution.getGraphQLContext());
		int fields = reportFields(operation, execution.getFragmentsByName());
		if (fields > cap) {
			this.rejections.count("fields");
			throw new AbortExecutionException(List.of(GraphqlErrorBuilder.newError()
				.errorType(ErrorType.BAD_REQUEST)
				.message("The request asks for " + fields + " report fields; at most " + cap
						+ " are allowed per request (tally.graphql.max-report-fields), aliases included")
				.build()));
		}
		return null;
	}

	/** The most report fields this request's caller may ask for. */
	public int cap(GraphQLContext context) {
		CallerLimits caller = context.get(CallerLimits.ATTRIBUTE);
		return (caller != null) ? caller.maxReportFields() : this.defaultCap;
	}

	/** The report fields an operation asks for, as the cap counts them: every alias, through fragments. */
	public int reportFields(OperationDefinition operation, Map<String, FragmentDefinition> fragments) {
		return reportFields(operation.getSelectionSet(), fragments, 0);
	}

	/** Report fields in a root selection set; depth guards against fragment cycles, which validation refuses anyway. */
	private int reportFields(SelectionSet selections, Map<String, FragmentDefinition> fragments, int depth) {
		if (selections == null || depth > 10) {
			return 0;
		}
		int count = 0;
		for (Selection<?> selection : selections.getSelections()) {
			if (selection instanceof Field field && this.catalog.getObject().find(field.getName()).isPresent()) {
				count++;
			}
			else if (selection instanceof InlineFragment inline) {
				count += reportFields(inline.getSelectionSet(), fragments, depth + 1);
			}
			else if (selection instanceof FragmentSpread spread && fragments.containsKey(spread.getName())) {
				count += reportFields(fragments.get(spread.getName()).getSelectionSet(), fragments, depth + 1);
			}
		}
		return count;
	}

}
