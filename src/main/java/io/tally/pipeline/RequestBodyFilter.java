package io.tally.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tally.documents.PersistedDocumentException;
import io.tally.documents.TrustedDocuments;
import io.tally.graphql.GraphQlLimitsProperties;
import io.tally.graphql.JsonErrors;
import io.tally.graphql.PipelineFilter;
import io.tally.graphql.PipelineOrder;
import io.tally.graphql.SocketWrites;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.graphql.autoconfigure.GraphQlProperties;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * The entry of a GraphQL POST: reads the body before Spring for GraphQL does and lets through only
 * one JSON object of bounded size whose members have the types GraphQL over HTTP gives them
 * ({@code query} and {@code operationName} strings, {@code variables} and {@code extensions}
 * objects); a registered document's id in {@code extensions.persistedQuery} is replaced by its
 * text here. Anything else is a 400 that says what was wrong (a batch, a scalar, JSON that does
 * not parse, a member of the wrong type), an oversized body a 413 and a body slower than
 * {@code tally.graphql.body-read-timeout} a 408, all before anything is parsed or executed. After
 * the caller and the rate limit, so an unauthenticated or throttled caller costs no body read.
 */
@Component
@ConditionalOnWebApplication
@Order(PipelineOrder.REQUEST_BODY)
class RequestBodyFilter extends PipelineFilter {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final String path;

	private final int maxBodyBytes;

	private final Duration bodyReadTimeout;

	private final TrustedDocuments documents;

	RequestBodyFilter(GraphQlLimitsProperties limits, GraphQlProperties graphQl, TrustedDocuments documents) {
		this.path = graphQl.getHttp().getPath();
		this.bodyReadTimeout = limits.bodyReadTimeout();
		this.maxBodyBytes = (int) Math.min(Integer.MAX_VALUE - 1, limits.maxBodySize().toBytes());
		this.documents = documents;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod()) || !this.path.equals(request.getServletPath());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		byte[] body = readWithinDeadline(request);
		if (body == null) {
			refuse(response, HttpStatus.REQUEST_TIMEOUT,
					"The request body did not arrive within " + this.bodyReadTimeout.toSeconds() + " seconds");
			return;
		}
		if (body.length > this.maxBodyBytes) {
			refuse(response, HttpStatus.CONTENT_TOO_LARGE, "The request body is larger than " + this.maxBodyBytes + " bytes");
			return;
		}
		if (firstSignificant(body) != '{') {
			refuse(response, HttpStatus.BAD_REQUEST,
					"The request body must be one JSON object with a 'query'; batches are not accepted");
			return;
		}
		Map<String, Object> sent;
		try {
			sent = json.readValue(body, new TypeReference<LinkedHashMap<String, Object>>() {
			});
		}
		catch (JacksonException ex) {
			refuse(response, HttpStatus.BAD_REQUEST, "The request body is not valid JSON" + where(ex));
			return;
		}
		String wrong = GraphQlHttpRequest.wrongMember(sent);
		if (wrong != null) {
			refuse(response, HttpStatus.BAD_REQUEST, wrong);
			return;
		}
		if (GraphQlHttpRequest.persistedQuery(sent)) {
			try {
				sent.put("query", this.documents.resolve((String) sent.get("query"), GraphQlHttpRequest.extensions(sent)));
			}
			catch (PersistedDocumentException ex) {
				if (acceptsOnlyEventStream(request)) {
					// A subscription over SSE hears why as its stream's one event, as any other refusal.
					JsonErrors.writeEvent(response, ex.body());
					return;
				}
				JsonErrors.write(response, HttpStatus.OK, ex.body());
				return;
			}
			body = json.writeValueAsBytes(sent);
		}
		// An answer that fits is sent in one write with its length (see SocketWrites).
		response.setBufferSize(SocketWrites.BYTES);
		chain.doFilter(new CachedBodyRequest(request, body), response);
	}

	private static boolean acceptsOnlyEventStream(HttpServletRequest request) {
		String accept = request.getHeader(HttpHeaders.ACCEPT);
		return accept != null && accept.contains(MediaType.TEXT_EVENT_STREAM_VALUE)
				&& !accept.contains(MediaType.APPLICATION_JSON_VALUE) && !accept.contains("application/graphql-response+json");
	}

	/** Where JSON stopped parsing, without echoing what the caller sent. */
	private static String where(JacksonException ex) {
		return (ex.getLocation() != null && ex.getLocation().getLineNr() > 0)
				? " (line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr() + ")" : "";
	}

	/**
	 * Up to one byte more than the limit, or null when the body is late: each read waits at most
	 * the connector's timeout ({@code server.tomcat.connection-timeout}), and no read starts after
	 * the deadline, so a client dripping bytes is cut off however steadily it drips.
	 */
	private byte[] readWithinDeadline(HttpServletRequest request) throws IOException {
		long deadline = System.nanoTime() + this.bodyReadTimeout.toNanos();
		InputStream in = request.getInputStream();
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		int limit = this.maxBodyBytes + 1;
		while (body.size() < limit) {
			if (System.nanoTime() > deadline) {
				return null;
			}
			int read;
			try {
				read = in.read(buffer, 0, Math.min(buffer.length, limit - body.size()));
			}
			catch (SocketTimeoutException ex) {
				return null;
			}
			if (read < 0) {
				break;
			}
			body.write(buffer, 0, read);
		}
		return body.toByteArray();
	}

	private static int firstSignificant(byte[] body) {
		for (byte b : body) {
			if (b == (byte) 0xEF || b == (byte) 0xBB || b == (byte) 0xBF || Character.isWhitespace(b)) {
				continue;
			}
			return b;
		}
		return -1;
	}

	private static void refuse(HttpServletResponse response, HttpStatus status, String message) throws IOException {
		JsonErrors.write(response, status, "BAD_REQUEST", message);
	}

}
