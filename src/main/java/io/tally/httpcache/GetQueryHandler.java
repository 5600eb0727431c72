package io.tally.httpcache;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import graphql.language.Document;
import graphql.language.OperationDefinition;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import io.tally.catalog.ReportDefinition;
import io.tally.documents.PersistedDocumentException;
import io.tally.documents.TrustedDocuments;
import io.tally.response.ResponseRecording;
import io.tally.tenancy.Caller;
import io.tally.tenancy.TenancyProperties;
import io.tally.tenancy.TenantResolver;
import jakarta.servlet.ServletException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.graphql.server.WebGraphQlHandler;
import org.springframework.graphql.server.WebGraphQlRequest;
import org.springframework.graphql.server.WebGraphQlResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Queries sent with GET, as the GraphQL over HTTP spec allows: {@code query} (or a registered
 * document's id in {@code extensions}), {@code variables}, {@code operationName} as parameters.
 * A report answer carries an ETag and {@code Cache-Control: private, max-age=} the seconds until
 * its next refresh, and a matching {@code If-None-Match} gets a 304 before anything is executed.
 * Everything else goes through the same interceptors, limits and checks as a POST.
 */
class GetQueryHandler {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final MediaType GRAPHQL_RESPONSE = MediaType.parseMediaType("application/graphql-response+json");

	private final WebGraphQlHandler graphQl;

	private final TrustedDocuments documents;

	private final AnswerTags tags;

	private final TenantResolver tenants;

	private final String tenantHeader;

	GetQueryHandler(WebGraphQlHandler graphQl, TrustedDocuments documents, AnswerTags tags, TenantResolver tenants,
			TenancyProperties tenancy) {
		this.graphQl = graphQl;
		this.documents = documents;
		this.tags = tags;
		this.tenants = tenants;
		this.tenantHeader = tenancy.tenantHeader();
	}

	ServerResponse handle(ServerRequest request) throws ServletException {
		Map<String, Object> variables = jsonParameter(request, "variables");
		Map<String, Object> extensions = jsonParameter(request, "extensions");
		String operationName = request.param("operationName").orElse(null);
		String document;
		try {
			document = this.documents.resolve(request.param("query").orElse(null), extensions);
		}
		catch (PersistedDocumentException ex) {
			return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).body(ex.body());
		}
		if (document == null || document.isBlank()) {
			return refuse(HttpStatus.BAD_REQUEST, "A GET request needs the parameter 'query', or a registered "
					+ "document's id as extensions={\"persistedQuery\":{\"sha256Hash\":\"...\"}}");
		}
		OperationDefinition operation = operation(document, operationName);
		if (operation != null && operation.getOperation() != OperationDefinition.Operation.QUERY) {
			return ServerResponse.status(HttpStatus.METHOD_NOT_ALLOWED)
				.allow(HttpMethod.POST)
				.contentType(MediaType.APPLICATION_JSON)
				.body(error("Only queries may be sent with GET; send " + operation.getOperation().name().toLowerCase()
						+ "s with POST"));
		}
		AnswerTags.Who who = (operation != null) ? who(request, document, operation, variables) : null;
		List<ReportDefinition> reports = (who != null) ? this.tags.reports(operation).orElse(null) : null;
		if (reports != null) {
			List<String> asked = request.headers().header(HttpHeaders.IF_NONE_MATCH);
			Optional<AnswerTags.Tag> matched = asked.isEmpty() ? Optional.empty()
					: this.tags.current(who, reports).stream().filter(tag -> asked.contains(tag.etag())).findFirst();
			if (matched.isPresent()) {
				return ServerResponse.status(HttpStatus.NOT_MODIFIED)
					.eTag(matched.get().etag())
					.header(HttpHeaders.CACHE_CONTROL, matched.get().cacheControl())
					.build();
			}
		}
		// Filled by the execution, or by the response cache when it sends a kept answer.
		ResponseRecording recording = new ResponseRecording();
		request.attributes().put(ResponseRecording.ATTRIBUTE, recording);
		WebGraphQlResponse response = execute(request, document, operationName, variables, extensions);
		boolean answered = response.getExecutionResult().getErrors().isEmpty();
		Optional<AnswerTags.Tag> tag = (reports != null) ? recording.statusesRead()
			.filter(read -> reports.stream().allMatch(report -> read.containsKey(report.field())))
			.map(read -> this.tags.tag(who, reports, report -> read.get(report.field())))
			: Optional.empty();
		MediaType type = request.headers().accept().stream().anyMatch(GRAPHQL_RESPONSE::isCompatibleWith)
				? GRAPHQL_RESPONSE : MediaType.APPLICATION_JSON;
		ServerResponse.BodyBuilder builder = ServerResponse
			.status((!response.isValid() && type == GRAPHQL_RESPONSE) ? HttpStatus.BAD_REQUEST : HttpStatus.OK)
			.contentType(type);
		if (answered && tag.isPresent()) {
			builder.eTag(tag.get().etag()).header(HttpHeaders.CACHE_CONTROL, tag.get().cacheControl());
		}
		else {
			builder.header(HttpHeaders.CACHE_CONTROL, "no-store");
		}
		return builder.body(response.toMap());
	}

	private AnswerTags.Who who(ServerRequest request, String document, OperationDefinition operation,
			Map<String, Object> variables) {
		try {
			Caller caller = this.tenants.resolve(request.headers().firstHeader(this.tenantHeader));
			return new AnswerTags.Who(caller.tenantId(), caller.subject(), document, operation.getName(), variables);
		}
		catch (RuntimeException ex) {
			// A refused tenant choice: no tag; the execution below reports it as it would for a POST.
			return null;
		}
	}

	private WebGraphQlResponse execute(ServerRequest request, String document, String operationName,
			Map<String, Object> variables, Map<String, Object> extensions) throws ServletException {
		Map<String, Object> body = new HashMap<>();
		body.put("query", document);
		body.put("operationName", operationName);
		body.put("variables", variables);
		body.put("extensions", extensions);
		WebGraphQlRequest graphQlRequest = new WebGraphQlRequest(request.uri(), request.headers().asHttpHeaders(),
				new LinkedMultiValueMap<>(), request.remoteAddress().orElse(null), request.attributes(), body,
				UUID.randomUUID().toString(), LocaleContextHolder.getLocale());
		// The fetchers record into the recording the request's attributes hold, also with the response cache off.
		ResponseRecording.of(graphQlRequest);
		try {
			// Blocking is fine on a virtual thread; Spring for GraphQL carries the security context to the fetchers.
			return this.graphQl.handleRequest(graphQlRequest).toFuture().get();
		}
		catch (Exception ex) {
			throw new ServletException("GraphQL GET request failed", ex);
		}
	}

	private static OperationDefinition operation(String document, String operationName) {
		try {
			Document parsed = Parser.parse(document);
			List<OperationDefinition> operations = parsed.getDefinitionsOfType(OperationDefinition.class);
			return operations.stream()
				.filter(operation -> operationName == null || operationName.equals(operation.getName()))
				.findFirst()
				.orElse(null);
		}
		catch (InvalidSyntaxException ex) {
			// Execution reports the syntax error with its usual message.
			return null;
		}
	}

	private static Map<String, Object> jsonParameter(ServerRequest request, String name) {
		return request.param(name)
			.filter(value -> !value.isBlank())
			.map(value -> json.readValue(value, new TypeReference<Map<String, Object>>() {
			}))
			.orElseGet(Map::of);
	}

	private static ServerResponse refuse(HttpStatus status, String message) {
		return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).body(error(message));
	}

	private static Map<String, Object> error(String message) {
		return Map.of("errors", List.of(Map.of("message", message, "extensions", Map.of("classification", "BAD_REQUEST"))));
	}

}
