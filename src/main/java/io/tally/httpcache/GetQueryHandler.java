package io.tally.httpcache;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.tally.catalog.ReportDefinition;
import io.tally.documents.PersistedDocumentException;
import io.tally.documents.TrustedDocuments;
import io.tally.graphql.JsonErrors;
import io.tally.pipeline.DocumentPlan;
import io.tally.pipeline.DocumentPlans;
import io.tally.pipeline.GraphQlHttpRequest;
import io.tally.pipeline.RequestContext;
import io.tally.response.ResponseRecording;
import io.tally.tenancy.Caller;
import jakarta.servlet.ServletException;
import tools.jackson.core.JacksonException;
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
 * The request goes through the same pipeline as a POST (caller, limits, trusted documents, kept
 * and compiled answers); a report answer then carries an ETag, {@code Cache-Control: private,
 * max-age=} the seconds until its next refresh and {@code Vary} on the headers that pick the
 * caller and tenant, and a matching {@code If-None-Match} gets a 304 only once every check of
 * the pipeline has passed for this caller ({@link RevalidationInterceptor}).
 */
class GetQueryHandler {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final MediaType GRAPHQL_RESPONSE = MediaType.parseMediaType("application/graphql-response+json");

	private final WebGraphQlHandler graphQl;

	private final TrustedDocuments documents;

	private final DocumentPlans plans;

	private final AnswerTags tags;

	private final String vary;

	GetQueryHandler(WebGraphQlHandler graphQl, TrustedDocuments documents, DocumentPlans plans, AnswerTags tags,
			String tenantHeader) {
		this.graphQl = graphQl;
		this.documents = documents;
		this.plans = plans;
		this.tags = tags;
		// Both pick whose answer it is: a browser must not reuse one after a switch of user or tenant.
		this.vary = HttpHeaders.AUTHORIZATION + ", " + tenantHeader;
	}

	ServerResponse handle(ServerRequest request) throws ServletException {
		Map<String, Object> sent = new LinkedHashMap<>();
		for (String name : List.of("variables", "extensions")) {
			Optional<String> value = request.param(name).filter(text -> !text.isBlank());
			if (value.isPresent()) {
				Object decoded = decode(value.get());
				if (!(decoded instanceof Map<?, ?>)) {
					return refuse(HttpStatus.BAD_REQUEST, "The parameter '" + name + "' must be a JSON object");
				}
				sent.put(name, decoded);
			}
		}
		String wrong = GraphQlHttpRequest.wrongMember(sent);
		if (wrong != null) {
			return refuse(HttpStatus.BAD_REQUEST, wrong);
		}
		String operationName = request.param("operationName").filter(name -> !name.isEmpty()).orElse(null);
		String document;
		try {
			document = this.documents.resolve(request.param("query").orElse(null), GraphQlHttpRequest.extensions(sent));
		}
		catch (PersistedDocumentException ex) {
			return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).header(HttpHeaders.VARY, this.vary)
				.body(ex.body());
		}
		if (document == null || document.isBlank()) {
			return refuse(HttpStatus.BAD_REQUEST, "A GET request needs the parameter 'query', or a registered "
					+ "document's id as extensions={\"persistedQuery\":{\"sha256Hash\":\"...\"}}");
		}
		DocumentPlan plan = this.plans.plan(document, operationName);
		if (plan.runnable() && !plan.isQuery()) {
			return ServerResponse.status(HttpStatus.METHOD_NOT_ALLOWED)
				.allow(HttpMethod.POST)
				.contentType(MediaType.APPLICATION_JSON)
				.body(JsonErrors.body("BAD_REQUEST", "Only queries may be sent with GET; send "
						+ plan.type().name().toLowerCase() + "s with POST", Map.of()));
		}
		// Filled by the execution, or by the response cache when it sends a kept answer.
		ResponseRecording recording = new ResponseRecording();
		request.attributes().put(ResponseRecording.ATTRIBUTE, recording);
		Revalidation revalidation = new Revalidation(request.headers().header(HttpHeaders.IF_NONE_MATCH));
		request.attributes().put(Revalidation.ATTRIBUTE, revalidation);
		WebGraphQlResponse response = execute(request, document, operationName, sent);
		AnswerTags.Tag current = revalidation.notModified();
		if (current != null) {
			return ServerResponse.status(HttpStatus.NOT_MODIFIED)
				.eTag(current.etag())
				.header(HttpHeaders.CACHE_CONTROL, current.cacheControl())
				.header(HttpHeaders.VARY, this.vary)
				.build();
		}
		Optional<AnswerTags.Tag> tag = response.getExecutionResult().getErrors().isEmpty()
				? tag(request, document, operationName, sent, plan, recording) : Optional.empty();
		MediaType type = request.headers().accept().stream().anyMatch(GRAPHQL_RESPONSE::isCompatibleWith)
				? GRAPHQL_RESPONSE : MediaType.APPLICATION_JSON;
		ServerResponse.BodyBuilder builder = ServerResponse
			.status((!response.isValid() && type == GRAPHQL_RESPONSE) ? HttpStatus.BAD_REQUEST : HttpStatus.OK)
			.contentType(type)
			.header(HttpHeaders.VARY, this.vary);
		if (tag.isPresent()) {
			builder.eTag(tag.get().etag()).header(HttpHeaders.CACHE_CONTROL, tag.get().cacheControl());
		}
		else {
			builder.header(HttpHeaders.CACHE_CONTROL, "no-store");
		}
		return builder.body(response.toMap());
	}

	/** The tag of an answer whose plan may be kept, from the generations it was read under. */
	private Optional<AnswerTags.Tag> tag(ServerRequest request, String document, String operationName,
			Map<String, Object> sent, DocumentPlan plan, ResponseRecording recording) {
		RequestContext context = RequestContext.in(request.attributes());
		Caller caller = (context != null) ? context.caller().settledCaller() : null;
		if (caller == null || !plan.keepable()) {
			return Optional.empty();
		}
		List<ReportDefinition> reports = plan.rootReports();
		AnswerTags.Who who = new AnswerTags.Who(caller.tenantId(), caller.subject(), document, operationName,
				variables(sent));
		return recording.version().flatMap(version -> version.over(reports)).map(version -> this.tags.tag(who, version));
	}

	private WebGraphQlResponse execute(ServerRequest request, String document, String operationName,
			Map<String, Object> sent) throws ServletException {
		Map<String, Object> body = new HashMap<>();
		body.put("query", document);
		body.put("operationName", operationName);
		body.put("variables", variables(sent));
		body.put("extensions", GraphQlHttpRequest.extensions(sent));
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

	@SuppressWarnings("unchecked")
	private static Map<String, Object> variables(Map<String, Object> sent) {
		return (sent.get("variables") instanceof Map<?, ?> variables) ? (Map<String, Object>) variables : Map.of();
	}

	/** The parameter's JSON value, or null when it is not JSON. */
	private static Object decode(String value) {
		try {
			return json.readValue(value, new TypeReference<Object>() {
			});
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private ServerResponse refuse(HttpStatus status, String message) {
		return ServerResponse.status(status)
			.contentType(MediaType.APPLICATION_JSON)
			.body(JsonErrors.body("BAD_REQUEST", message, Map.of()));
	}

}
