package io.tally.response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import graphql.execution.ResultPath;
import io.tally.catalog.ReportDefinition;
import io.tally.freshness.Freshness;
import io.tally.freshness.ViewStatus;

import org.springframework.graphql.server.WebGraphQlRequest;

/**
 * What one execution read, recorded so its answer can be kept: each report read with the view
 * status (from the ledger copy of the source that served it) and time it was read at, and where in
 * the answer each freshness field landed, so those can be written in again, computed at send time,
 * when the answer is reused. A GET's ETag is made from the answer's {@link AnswerVersion}.
 */
public final class ResponseRecording {

	/** The request attribute a recording is put under when the request's sender wants it back. */
	public static final String ATTRIBUTE = ResponseRecording.class.getName();

	private final Map<Freshness, Integer> readIndex = new IdentityHashMap<>();

	private final List<Read> reads = new ArrayList<>();

	private final List<Leaf> leaves = new ArrayList<>();

	private boolean unknownLeaf;

	/**
	 * The recording of this request's execution: the one its sender put in the request's attributes,
	 * else a new one; either way it is what the report fetcher records into.
	 */
	public static ResponseRecording of(WebGraphQlRequest request) {
		ResponseRecording recording = (request.getAttributes().get(ATTRIBUTE) instanceof ResponseRecording given)
				? given : new ResponseRecording();
		request.configureExecutionInput(
				(input, builder) -> builder.graphQLContext(Map.of(ResponseRecording.class, recording)).build());
		return recording;
	}

	/**
	 * One report answered.
	 * @param freshness the freshness object the answer carries, whose fields are recorded next
	 * @param report the report
	 * @param status the view status its data was read under, from the serving source's ledger copy
	 * @param touchesHistory whether its range reached the history part of a split view
	 * @param readAt when its data was read from the view
	 * @param askedAgain run each time the kept answer is sent, so what counts how often an answer
	 * is asked for (the refresh warm-up) also counts the answers that never reach it
	 */
	public synchronized void read(Freshness freshness, ReportDefinition report, ViewStatus status,
			boolean touchesHistory, Instant readAt, Runnable askedAgain) {
		this.readIndex.put(freshness, this.reads.size());
		this.reads.add(new Read(report, status, touchesHistory, readAt, askedAgain));
	}

	/** A kept answer's read, sent again under the status of the ledger copy that holds its generation. */
	synchronized void served(Read read, ViewStatus status) {
		this.reads.add(new Read(read.report(), status, read.touchesHistory(), read.readAt(), read.askedAgain()));
	}

	/**
	 * The version of the answer: each report and the status it was answered under.
	 * @return empty when nothing was read, or one report was read under two generations (a
	 * refresh landed between two of its reads), so the answer has no single version
	 */
	public synchronized Optional<AnswerVersion> version() {
		return AnswerVersion.of(this.reads.stream().map(read -> new AnswerVersion.Read(read.report(), read.status())).toList());
	}

	void leaf(ResultPath path, Freshness source, String field, UnaryOperator<Object> serializer) {
		leaf(path.toList(), source, field, serializer);
	}

	/**
	 * A freshness field written at this place in the answer's data.
	 * @return the leaf, or null when the freshness is of no read recorded here (the answer is then not kept)
	 */
	synchronized Leaf leaf(List<Object> path, Freshness source, String field, UnaryOperator<Object> serializer) {
		Integer read = this.readIndex.get(source);
		if (read == null) {
			this.unknownLeaf = true;
			return null;
		}
		Leaf leaf = new Leaf(path, read, field, serializer);
		this.leaves.add(leaf);
		return leaf;
	}

	/** Worth keeping: it read at least one report and every freshness field is accounted for. */
	synchronized boolean keepable() {
		return !this.reads.isEmpty() && !this.unknownLeaf;
	}

	synchronized List<Read> reads() {
		return List.copyOf(this.reads);
	}

	synchronized List<Leaf> leaves() {
		return List.copyOf(this.leaves);
	}

	/** A report read behind a kept answer. */
	record Read(ReportDefinition report, ViewStatus status, boolean touchesHistory, Instant readAt,
			Runnable askedAgain) {

	}

	/**
	 * A freshness field in the answer.
	 * @param path its place in the answer's data
	 * @param read which read it describes
	 * @param field the {@code Freshness} field's name
	 * @param serializer the field type's serialization, as execution applies it
	 */
	record Leaf(List<Object> path, int read, String field, UnaryOperator<Object> serializer) {
	}

}
