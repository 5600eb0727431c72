package io.tally.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.parser.Parser;
import graphql.parser.ParserEnvironment;
import graphql.parser.ParserOptions;
import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import io.tally.documents.TrustedDocuments;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.stereotype.Component;

/**
 * One plan per document and operation, made on first sight and kept (bounded: a client flooding
 * with new documents only churns this cache). Documents are parsed here with the same parser
 * limits execution uses; nothing else in Tally parses or walks an operation document. Every step
 * that needs a request's plan asks here (a lookup, as the request attributes a step could hand it
 * on in are read-only to interceptors).
 */
@Component
public class DocumentPlans {

	/** Distinct documents kept, like graphql-java's parsed documents. */
	private static final int MAX_DOCUMENTS = 1_000;

	/** Fragments nest at most this deep when counting; validation refuses cycles anyway. */
	private static final int MAX_FRAGMENT_DEPTH = 10;

	private final Cache<Key, DocumentPlan> plans = Caffeine.newBuilder().maximumSize(MAX_DOCUMENTS).build();

	/** Looked up when first needed: the catalog is built from the schema the plans are for. */
	private final ObjectProvider<ReportCatalog> catalog;

	private final ParserOptions parserOptions;

	DocumentPlans(ObjectProvider<ReportCatalog> catalog, ParserOptions operationParserOptions) {
		this.catalog = catalog;
		this.parserOptions = operationParserOptions;
	}

	/** The plan of the request's document and operation. */
	public DocumentPlan plan(WebGraphQlRequest request) {
		return plan(request.getDocument(), request.getOperationName());
	}

	/** The plan of this document's operation. */
	public DocumentPlan plan(String text, String operationName) {
		return this.plans.get(new Key(text, operationName), key -> make(text, operationName));
	}

	private DocumentPlan make(String text, String operationName) {
		String id = TrustedDocuments.id(text);
		Document document = parse(text).orElse(null);
		OperationDefinition operation = (document != null) ? operation(document, operationName) : null;
		if (operation == null) {
			return new DocumentPlan(text, operationName, document, null, Map.of(), List.of(), false, 0, id);
		}
		ReportCatalog reports = this.catalog.getObject();
		List<ReportDefinition> rootReports = new ArrayList<>();
		boolean reportsOnly = true;
		for (Selection<?> selection : operation.getSelectionSet().getSelections()) {
			if (!(selection instanceof Field field)) {
				reportsOnly = false;
				continue;
			}
			Optional<ReportDefinition> report = reports.find(field.getName());
			if (report.isPresent()) {
				rootReports.add(report.get());
			}
			else if (!field.getName().equals("__typename")) {
				reportsOnly = false;
			}
		}
		Map<String, FragmentDefinition> fragments = document.getDefinitionsOfType(FragmentDefinition.class)
			.stream()
			.collect(Collectors.toMap(FragmentDefinition::getName, fragment -> fragment,
					(first, second) -> first));
		int reportFields = reportFields(operation.getSelectionSet(), fragments, reports, 0);
		return new DocumentPlan(text, operationName, document, operation, Map.copyOf(fragments),
				List.copyOf(rootReports), reportsOnly, reportFields, id);
	}

	private Optional<Document> parse(String text) {
		try {
			return Optional.of(Parser.parse(ParserEnvironment.newParserEnvironment()
				.document(text)
				.parserOptions(this.parserOptions)
				.build()));
		}
		catch (RuntimeException unparsable) {
			// Execution parses it again and reports the error in its usual words.
			return Optional.empty();
		}
	}

	/** The operation execution would run: the one named, or the only one; null when ambiguous or missing. */
	private static OperationDefinition operation(Document document, String operationName) {
		List<OperationDefinition> operations = document.getDefinitionsOfType(OperationDefinition.class);
		if (operationName == null || operationName.isEmpty()) {
			return (operations.size() == 1) ? operations.get(0) : null;
		}
		return operations.stream().filter(operation -> operationName.equals(operation.getName())).findFirst().orElse(null);
	}

	private static int reportFields(SelectionSet selections, Map<String, FragmentDefinition> fragments,
			ReportCatalog reports, int depth) {
		if (selections == null || depth > MAX_FRAGMENT_DEPTH) {
			return 0;
		}
		int count = 0;
		for (Selection<?> selection : selections.getSelections()) {
			if (selection instanceof Field field && reports.find(field.getName()).isPresent()) {
				count++;
			}
			else if (selection instanceof InlineFragment inline) {
				count += reportFields(inline.getSelectionSet(), fragments, reports, depth + 1);
			}
			else if (selection instanceof FragmentSpread spread && fragments.containsKey(spread.getName())) {
				count += reportFields(fragments.get(spread.getName()).getSelectionSet(), fragments, reports, depth + 1);
			}
		}
		return count;
	}

	private record Key(String text, String operationName) {
	}

}
