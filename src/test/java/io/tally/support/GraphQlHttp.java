package io.tally.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends GraphQL documents over real HTTP, with whatever token and headers a test needs, and reads
 * the answer with JSON paths.
 */
public final class GraphQlHttp {

	private static final JsonMapper json = JsonMapper.builder().build();

	/** A missing path reads as null, so a test can assert that there are no errors. */
	private static final Configuration lenient = Configuration.defaultConfiguration()
		.addOptions(Option.DEFAULT_PATH_LEAF_TO_NULL, Option.SUPPRESS_EXCEPTIONS);

	private final HttpClient client = HttpClient.newHttpClient();

	private final String url;

	public GraphQlHttp(int port) {
		this.url = "http://127.0.0.1:" + port + "/graphql";
	}

	public Response post(String token, String tenantHeader, String document, Map<String, Object> variables) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("query", document);
		body.put("variables", variables);
		return postRaw(token, tenantHeader, json.writeValueAsString(body));
	}

	public Response post(String token, String tenantHeader, String document) {
		return post(token, tenantHeader, document, Map.of());
	}

	/** The JSON body of a request for this document without variables. */
	public static String body(String document) {
		return json.writeValueAsString(Map.of("query", document));
	}

	public Response postRaw(String token, String tenantHeader, String body) {
		List<String> headers = new ArrayList<>();
		if (token != null) {
			headers.addAll(List.of("Authorization", "Bearer " + token));
		}
		if (tenantHeader != null) {
			headers.addAll(List.of("X-Tenant-Id", tenantHeader));
		}
		return postWithHeaders(body, headers.toArray(String[]::new));
	}

	/**
	 * Posts a raw body with exactly these headers, given as name, value, name, value...; a name
	 * given twice is sent twice.
	 */
	public Response postWithHeaders(String body, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.url))
			.header("Content-Type", "application/json")
			.header("Accept", "application/graphql-response+json, application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		return send(request);
	}

	/** Sends any request to this server, e.g. a GET, a preflight or a page, relative to its root. */
	public Response send(String method, String path, Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.url.replace("/graphql", "") + path))
			.method(method, HttpRequest.BodyPublishers.noBody());
		headers.forEach(request::header);
		return send(request);
	}

	private Response send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body(), response.headers());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A plain GET of another endpoint of the same server, such as a health group. */
	public static Response get(int port, String path) {
		try {
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
						HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * An HTTP answer.
	 *
	 * @param status the HTTP status code
	 * @param body the raw body
	 * @param headers the response headers
	 */
	public record Response(int status, String body, HttpHeaders headers) {

		public Response(int status, String body) {
			this(status, body, HttpHeaders.of(Map.of(), (name, value) -> true));
		}

		/** A response header's first value, or null. */
		public String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

		public <T> T path(String path) {
			return document().read(path);
		}

		public DocumentContext document() {
			return JsonPath.using(lenient).parse(this.body);
		}

		/** The error classification of the first error, as the client sees it. */
		public String errorType() {
			return path("$.errors[0].extensions.classification");
		}

		public String errorMessage() {
			return path("$.errors[0].message");
		}

		/** A BAD_REQUEST whose message names what was wrong, and no data: nothing was read. */
		public void assertBadRequest(String... mentions) {
			assertThat(errorType()).as(this.body).isEqualTo("BAD_REQUEST");
			assertThat(errorMessage()).contains(mentions);
			assertThat((Object) path("$.data")).as("data of a refused request").isNull();
		}

	}

}
