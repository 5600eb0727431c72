package io.tally.tracing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.sdk.trace.data.SpanData;

/** A trace's spans as an indented text tree, children in start order, with their attributes. */
final class SpanTree {

	private SpanTree() {
	}

	static SpanData root(Collection<SpanData> trace) {
		List<SpanData> roots = trace.stream().filter(span -> !SpanId.isValid(span.getParentSpanId())).toList();
		if (roots.size() != 1) {
			throw new AssertionError("Not one root span but " + roots.size() + ":\n" + render(trace));
		}
		return roots.get(0);
	}

	/** The span ids above a span, its parent first. */
	static List<String> ancestors(SpanData span, Map<String, SpanData> trace) {
		List<String> ids = new ArrayList<>();
		for (SpanData parent = trace.get(span.getParentSpanId()); parent != null; parent = trace.get(parent.getParentSpanId())) {
			ids.add(parent.getSpanId());
		}
		return ids;
	}

	static String render(Collection<SpanData> trace) {
		Map<String, List<SpanData>> children = trace.stream()
			.sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
			.collect(Collectors.groupingBy(SpanData::getParentSpanId, java.util.LinkedHashMap::new, Collectors.toList()));
		StringBuilder text = new StringBuilder();
		for (SpanData root : children.getOrDefault(SpanId.getInvalid(), List.of())) {
			render(root, children, "", text);
		}
		return text.toString();
	}

	private static void render(SpanData span, Map<String, List<SpanData>> children, String indent, StringBuilder text) {
		text.append(indent)
			.append(span.getName())
			.append(String.format(" (%.1f ms)", (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6));
		String attributes = span.getAttributes().asMap().entrySet().stream()
			.map(entry -> entry.getKey().getKey() + "=" + entry.getValue())
			.sorted()
			.collect(Collectors.joining(" "));
		if (!attributes.isEmpty()) {
			text.append("  ").append(attributes);
		}
		text.append('\n');
		for (SpanData child : children.getOrDefault(span.getSpanId(), List.of())) {
			render(child, children, indent + "  ", text);
		}
	}

}
