package io.tally.tracing;

import java.util.List;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Spring Boot's sampler, but only while a span exporter exists. Without
 * {@code management.opentelemetry.tracing.export.otlp.endpoint} there is no exporter, and Boot's
 * sampler would still record a tenth of all requests' spans only to drop them; this one records
 * none. Trace ids are made either way, so log lines and {@code X-Trace-Id} still tie together.
 */
final class ExportingSampler implements Sampler {

	private final Sampler sampler;

	private final ObjectProvider<SpanExporter> exporters;

	/** Decided at the first span, once every exporter bean exists. */
	private volatile Boolean exporting;

	private ExportingSampler(Sampler sampler, ObjectProvider<SpanExporter> exporters) {
		this.sampler = sampler;
		this.exporters = exporters;
	}

	/** Wraps the application's sampler bean. */
	static BeanPostProcessor wrapping(ObjectProvider<SpanExporter> exporters) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof Sampler sampler && !(bean instanceof ExportingSampler))
						? new ExportingSampler(sampler, exporters) : bean;
			}
		};
	}

	@Override
	public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
			Attributes attributes, List<LinkData> parentLinks) {
		Boolean known = this.exporting;
		if (known == null) {
			known = this.exporters.stream().findAny().isPresent();
			this.exporting = known;
		}
		return known ? this.sampler.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks)
				: SamplingResult.drop();
	}

	@Override
	public String getDescription() {
		return "ExportingSampler{" + this.sampler.getDescription() + "}";
	}

}
