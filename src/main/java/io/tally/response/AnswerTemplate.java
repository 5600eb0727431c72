package io.tally.response;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

import io.tally.cache.HeapEstimate;
import io.tally.freshness.Freshness;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JacksonSerializable;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.jsontype.TypeSerializer;

/**
 * An answer's {@code data}, serialized once and kept as UTF-8, cut open where its freshness fields
 * go: sending it again copies those bytes into the response with the few fields written in
 * between, with no GraphQL execution, no tree to serialize and no text to encode again.
 */
final class AnswerTemplate {

	private final Utf8Json[] chunks;

	private final ResponseRecording.Leaf[] gaps;

	/** @param chunks the bytes around the gaps, one more than there are gaps */
	AnswerTemplate(Utf8Json[] chunks, ResponseRecording.Leaf[] gaps) {
		this.chunks = chunks;
		this.gaps = gaps;
	}

	/**
	 * Serializes an executed answer's data, leaving a gap at every recorded freshness field.
	 * @return empty when a recorded field is not where the recording says, so the answer is not kept
	 */
	static Optional<AnswerTemplate> of(Object data, List<ResponseRecording.Leaf> leaves) {
		Map<List<Object>, ResponseRecording.Leaf> byPath = new HashMap<>();
		leaves.forEach(leaf -> byPath.put(leaf.path(), leaf));
		AnswerWriter writer = new AnswerWriter(null);
		int gaps = write(writer, data, new ArrayList<>(), byPath);
		return (gaps == leaves.size()) ? Optional.of(writer.template()) : Optional.empty();
	}

	/** Walks the data as Jackson would write it; returns how many gaps it left. */
	private static int write(AnswerWriter writer, Object value, List<Object> path,
			Map<List<Object>, ResponseRecording.Leaf> byPath) {
		JsonGenerator generator = writer.generator();
		int gaps = 0;
		if (value instanceof Map<?, ?> map) {
			generator.writeStartObject();
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				generator.writeName(String.valueOf(entry.getKey()));
				path.add(entry.getKey());
				gaps += write(writer, entry.getValue(), path, byPath);
				path.remove(path.size() - 1);
			}
			generator.writeEndObject();
			return gaps;
		}
		if (value instanceof List<?> list) {
			generator.writeStartArray();
			for (int i = 0; i < list.size(); i++) {
				path.add(i);
				gaps += write(writer, list.get(i), path, byPath);
				path.remove(path.size() - 1);
			}
			generator.writeEndArray();
			return gaps;
		}
		ResponseRecording.Leaf gap = byPath.isEmpty() ? null : byPath.get(path);
		if (gap == null) {
			generator.writePOJO(value);
			return 0;
		}
		writer.gap(gap);
		return 1;
	}

	/** The heap it keeps: its chunks and the arrays holding them and its gaps (gaps' leaves counted by the caller). */
	long retainedBytes() {
		long bytes = 16 + HeapEstimate.align(16L + 4L * this.chunks.length) + HeapEstimate.align(16L + 4L * this.gaps.length);
		for (Utf8Json chunk : this.chunks) {
			bytes += chunk.retainedBytes();
		}
		return bytes;
	}

	int gaps() {
		return this.gaps.length;
	}

	/**
	 * The answer's data, written as JSON where it is serialized, with each freshness field taken from
	 * its read's current freshness.
	 */
	JacksonSerializable render(IntFunction<Freshness> freshnessOfRead) {
		// By read, each described once; a read whose report selected no freshness field has no gap.
		Freshness[] freshness = new Freshness[Arrays.stream(this.gaps).mapToInt(gap -> gap.read() + 1).max().orElse(0)];
		String[] values = new String[this.gaps.length];
		for (int i = 0; i < this.gaps.length; i++) {
			ResponseRecording.Leaf gap = this.gaps[i];
			Freshness current = (freshness[gap.read()] != null) ? freshness[gap.read()] : freshnessOfRead.apply(gap.read());
			freshness[gap.read()] = current;
			values[i] = FreshnessFields.json(current, gap.field(), gap.serializer());
		}
		return render(values);
	}

	/** @param values each gap's value as JSON text */
	Rendered render(String[] values) {
		return new Rendered(this, values);
	}

	/** A written answer with this send's freshness values: the chunks and values, interleaved. */
	static final class Rendered extends JacksonSerializable.Base {

		private final AnswerTemplate template;

		private final String[] values;

		Rendered(AnswerTemplate template, String[] values) {
			this.template = template;
			this.values = values;
		}

		AnswerTemplate template() {
			return this.template;
		}

		@Override
		public void serialize(JsonGenerator generator, SerializationContext context) {
			Utf8Json[] chunks = this.template.chunks;
			generator.writeRawValue(chunks[0]);
			for (int i = 0; i < this.values.length; i++) {
				generator.writeRaw(this.values[i]);
				generator.writeRaw(chunks[i + 1]);
			}
		}

		@Override
		public void serializeWithType(JsonGenerator generator, SerializationContext context, TypeSerializer types) {
			serialize(generator, context);
		}

	}

}
