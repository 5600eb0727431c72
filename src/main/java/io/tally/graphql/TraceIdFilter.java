package io.tally.graphql;

import java.io.IOException;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Sends the request's trace id as {@code X-Trace-Id}, beside {@code X-Request-Id}: the id an
 * operator pastes into the trace backend, and the {@code traceId} of the request's JSON log lines.
 * Also on a request the sampler left out, whose id still ties its log lines together.
 */
@Component
@Order(PipelineOrder.TRACE_ID)
class TraceIdFilter extends PipelineFilter {

	static final String HEADER = "X-Trace-Id";

	/** Null while tracing is off; looked up once, as a lookup per request measured 2 % of a trivial one. */
	private final Tracer tracer;

	TraceIdFilter(ObjectProvider<Tracer> tracer) {
		this.tracer = tracer.getIfUnique();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Span span = (this.tracer != null) ? this.tracer.currentSpan() : null;
		// Not isNoop(): a span the sampler left out is no-op, yet its trace id is real and logged.
		String traceId = (span != null) ? span.context().traceId() : null;
		if (traceId != null && !traceId.isEmpty() && !traceId.chars().allMatch(c -> c == '0')) {
			response.setHeader(HEADER, traceId);
		}
		chain.doFilter(request, response);
	}

}
