package io.tally.response;

import java.io.StringWriter;
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
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.JacksonSerializable;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.jsontype.TypeSerializer;

/**
 * An answer's {@code data}, serialized once and kept as UTF-8, cut open where its freshness fields
 * go: sending it again copies those bytes into the response with the few fields written in
 * between, with no GraphQL execution, no tree to serialize and no text to encode again.
 */
final class AnswerTemplate {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Utf8Json[] chunks;

	private final ResponseRecording.Leaf[] gaps;

	private AnswerTemplate(String[] chunks, ResponseRecording.Leaf[] gaps) {
		this.chunks = Arrays.stream(chunks).map(Utf8Json::new).toArray(Utf8Json[]::new);
		this.gaps = gaps;
	}

	/**
	 * Serializes an answer's data, leaving a gap at every recorded freshness field.
	 * @return empty when a recorded field is not where the recording says, so the answer is not kept
	 */
	static Optional<AnswerTemplate> of(Object data, List<ResponseRecording.Leaf> leaves) {
		Map<List<Object>, ResponseRecording.Leaf> byPath = new HashMap<>();
		leaves.forEach(leaf -> byPath.put(leaf.path(), leaf));
		Writer writer = new Writer(byPath);
		writer.write(data, new ArrayList<>());
		if (writer.gaps.size() != leaves.size()) {
			return Optional.empty();
		}
		return Optional.of(writer.finish());
	}

	/** The heap it keeps: its chunks and the arrays holding them and its gaps (gaps' leaves counted by the caller). */
	long retainedBytes() {
		long bytes = 16 + HeapEstimate.align(16L + 4L * this.chunks.length) + HeapEstimate.align(16L + 4L * this.gaps.length);
		for (Utf8Json chunk : this.chunks) {
			bytes += chunk.retainedBytes();
		}
		return bytes;
	}

	/**
	 * The answer's data, written as JSON where it is serialized, with each freshness field taken from
	 * its read's current freshness.
	 */
	JacksonSerializable render(IntFunction<Freshness> freshnessOfRead) {
		Freshness[] freshness = new Freshness[this.gaps.length];
		String[] values = new String[this.gaps.length];
		StringBuilder json = new StringBuilder(64);
		for (int i = 0; i < this.gaps.length; i++) {
			ResponseRecording.Leaf gap = this.gaps[i];
			Freshness current = (freshness[gap.read()] != null) ? freshness[gap.read()] : freshnessOfRead.apply(gap.read());
			freshness[gap.read()] = current;
			json.setLength(0);
			append(json, gap.serializer().apply(FreshnessFields.value(current, gap.field())));
			values[i] = json.toString();
		}
		return new Rendered(this.chunks, values);
	}

	private static void append(StringBuilder json, Object value) {
		if (value == null || value instanceof Number || value instanceof Boolean) {
			json.append(value);
		}
		else if (value instanceof CharSequence text) {
			json.append('"');
			JsonStringEncoder.getInstance().quoteAsString(text, json);
			json.append('"');
		}
		else {
			json.append(JSON.writeValueAsString(value));
		}
	}

	/** A kept answer with this send's freshness values: the chunks and values, interleaved. */
	private static final class Rendered extends JacksonSerializable.Base {

		private final Utf8Json[] chunks;

		private final String[] values;

		Rendered(Utf8Json[] chunks, String[] values) {
			this.chunks = chunks;
			this.values = values;
		}

		@Override
		public void serialize(JsonGenerator generator, SerializationContext context) {
			generator.writeRawValue(this.chunks[0]);
			for (int i = 0; i < this.values.length; i++) {
				generator.writeRaw(this.values[i]);
				generator.writeRaw(this.chunks[i + 1]);
			}
		}

		@Override
		public void serializeWithType(JsonGenerator generator, SerializationContext context, TypeSerializer types) {
			serialize(generator, context);
		}

	}

	/** Walks the data as Jackson would write it, noting where each gap starts and ends. */
	private static final class Writer {

		private final Map<List<Object>, ResponseRecording.Leaf> byPath;

		private final StringWriter out = new StringWriter();

		private final JsonGenerator generator;

		private final List<String> chunks = new ArrayList<>();

		private final List<ResponseRecording.Leaf> gaps = new ArrayList<>();

		private int chunkStart;

		Writer(Map<List<Object>, ResponseRecording.Leaf> byPath) {
			this.byPath = byPath;
			this.generator = JSON.createGenerator(this.out);
		}

		void write(Object value, List<Object> path) {
			if (value instanceof Map<?, ?> map) {
				this.generator.writeStartObject();
				for (Map.Entry<?, ?> entry : map.entrySet()) {
					this.generator.writeName(String.valueOf(entry.getKey()));
					path.add(entry.getKey());
					write(entry.getValue(), path);
					path.remove(path.size() - 1);
				}
				this.generator.writeEndObject();
				return;
			}
			if (value instanceof List<?> list) {
				this.generator.writeStartArray();
				for (int i = 0; i < list.size(); i++) {
					path.add(i);
					write(list.get(i), path);
					path.remove(path.size() - 1);
				}
				this.generator.writeEndArray();
				return;
			}
			ResponseRecording.Leaf gap = this.byPath.isEmpty() ? null : this.byPath.get(path);
			if (gap == null) {
				this.generator.writePOJO(value);
				return;
			}
			// The separator before a value is written with the value, so write a placeholder and
			// cut it off the end: what precedes it is the chunk.
			this.generator.writeNull();
			this.generator.flush();
			StringBuffer buffer = this.out.getBuffer();
			int gapStart = buffer.length() - "null".length();
			this.chunks.add(buffer.substring(this.chunkStart, gapStart));
			this.chunkStart = buffer.length();
			this.gaps.add(gap);
		}

		AnswerTemplate finish() {
			this.generator.close();
			this.chunks.add(this.out.getBuffer().substring(this.chunkStart));
			return new AnswerTemplate(this.chunks.toArray(String[]::new),
					this.gaps.toArray(ResponseRecording.Leaf[]::new));
		}

	}

}
