package io.tally.tracing;

import java.util.function.Function;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.stereotype.Component;

/**
 * Tally's child spans, made with Micrometer's Observation API so Spring Boot turns each into an
 * OpenTelemetry span (when tracing samples the request) and a timer of the same name. Every
 * observation of a name has one low-cardinality key, {@code outcome}, always set (a timer's tags
 * must not vary); everything else (report, sections, rows, view) is high-cardinality, on the span
 * only. The tenant id is added only when {@code tally.tracing.tenant-attribute} is on.
 */
@Component
public class Spans {

	/** The one low-cardinality key, on the span and the timer. */
	public static final String OUTCOME = "outcome";

	/** The tenant's id, only with {@code tally.tracing.tenant-attribute=true}. */
	public static final String TENANT = "tally.tenant";

	private final ObservationRegistry registry;

	private final boolean tenantAttribute;

	public Spans(ObservationRegistry registry, TracingProperties properties) {
		this.registry = registry;
		this.tenantAttribute = properties.tenantAttribute();
	}

	/**
	 * A span not yet started, with the tenant attribute when the operator turned it on.
	 * @param name the observation's name, also its timer's (e.g. {@code tally.report.read})
	 * @param spanName the span's name as a trace viewer shows it
	 * @param tenant the tenant the work is for, or null
	 */
	public Observation span(String name, String spanName, String tenant) {
		Observation observation = Observation.createNotStarted(name, this.registry).contextualName(spanName);
		if (this.tenantAttribute && tenant != null && !observation.isNoop()) {
			observation.highCardinalityKeyValue(TENANT, tenant);
		}
		return observation;
	}

	/**
	 * Runs work in a started span, in scope (so spans it starts are its children and log lines
	 * carry its ids), and stops it with {@code outcome} set: from the result, or {@code error} with
	 * the exception's type. Not its message: a database's message can quote an argument's value.
	 */
	public static <T> T observe(Observation span, Supplier<T> work, Function<? super T, String> outcome) {
		span.start();
		try (Observation.Scope scope = span.openScope()) {
			T result = work.get();
			span.lowCardinalityKeyValue(OUTCOME, outcome.apply(result));
			return result;
		}
		catch (RuntimeException | Error ex) {
			span.lowCardinalityKeyValue(OUTCOME, "error");
			span.highCardinalityKeyValue("error.type", ex.getClass().getSimpleName());
			throw ex;
		}
		finally {
			span.stop();
		}
	}

}
