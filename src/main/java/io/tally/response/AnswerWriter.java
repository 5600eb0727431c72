package io.tally.response;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

import graphql.schema.GraphQLType;
import io.tally.freshness.Freshness;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JacksonSerializable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes an answer's {@code data} once, as UTF-8 JSON, cut open where its freshness fields go:
 * the same bytes are sent now and kept for the next sends, which write only those fields again.
 * Used by the compiled writer (straight from the rows) and to keep an executed answer.
 */
public final class AnswerWriter {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Bytes out = new Bytes();

	private final JsonGenerator generator = JSON.createGenerator(this.out);

	private final ResponseRecording recording;

	private final List<Utf8Json> chunks = new ArrayList<>();

	private final List<ResponseRecording.Leaf> gaps = new ArrayList<>();

	/** Each gap's value in this answer, as JSON text. */
	private final List<String> values = new ArrayList<>();

	private int chunkStart;

	/** @param recording where this request's reads are recorded, or null when its answer is not kept */
	public AnswerWriter(ResponseRecording recording) {
		this.recording = recording;
	}

	public JsonGenerator generator() {
		return this.generator;
	}

	/** Writes a {@code Freshness} field: its value now, and a gap a kept answer writes afresh. */
	public void freshness(Freshness freshness, String field, GraphQLType type) {
		UnaryOperator<Object> serializer = FreshnessFields.serializer(type);
		ResponseRecording.Leaf leaf = (this.recording != null)
				? this.recording.leaf(List.of(), freshness, field, serializer) : null;
		String value = FreshnessFields.json(freshness, field, serializer);
		if (leaf == null) {
			this.generator.writeRawValue(value);
			return;
		}
		gap(leaf);
		this.values.add(value);
	}

	/**
	 * Leaves a gap for a freshness field. The separator before a value is written with the value,
	 * so a placeholder is written and cut off the end: what precedes it is the chunk.
	 */
	void gap(ResponseRecording.Leaf leaf) {
		this.generator.writeNull();
		this.generator.flush();
		int gapStart = this.out.size() - "null".length();
		this.chunks.add(new Utf8Json(this.out.range(this.chunkStart, gapStart)));
		this.chunkStart = this.out.size();
		this.gaps.add(leaf);
	}

	/** The template of what was written, its gaps in the order written. */
	AnswerTemplate template() {
		this.generator.close();
		this.chunks.add(new Utf8Json(this.out.range(this.chunkStart, this.out.size())));
		return new AnswerTemplate(this.chunks.toArray(Utf8Json[]::new),
				this.gaps.toArray(ResponseRecording.Leaf[]::new));
	}

	/** The answer's data as written, which the response cache keeps as it is. */
	public JacksonSerializable finish() {
		return template().render(this.values.toArray(String[]::new));
	}

	/**
	 * Writes a scalar's serialized value (what {@code Coercing.serialize} returns) as Jackson
	 * writes it in an executed answer's data.
	 */
	public static void writeScalar(JsonGenerator generator, Object value) {
		if (value instanceof String text) {
			generator.writeString(text);
		}
		else if (value instanceof Integer number) {
			generator.writeNumber(number);
		}
		else if (value instanceof Long number) {
			generator.writeNumber(number);
		}
		else if (value instanceof Double number) {
			generator.writeNumber(number);
		}
		else if (value instanceof BigDecimal number) {
			generator.writeNumber(number);
		}
		else if (value instanceof BigInteger number) {
			generator.writeNumber(number);
		}
		else if (value instanceof Boolean flag) {
			generator.writeBoolean(flag);
		}
		else {
			// null, and anything else a scalar may give, as Jackson writes it in a map.
			generator.writePOJO(value);
		}
	}

	/** The bytes written so far, a range of them copied without copying them all first. */
	private static final class Bytes extends ByteArrayOutputStream {

		Bytes() {
			super(4096);
		}

		byte[] range(int from, int to) {
			return Arrays.copyOfRange(this.buf, from, to);
		}

	}

}
