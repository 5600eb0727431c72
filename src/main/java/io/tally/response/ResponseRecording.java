package io.tally.response;

import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import graphql.execution.ResultPath;
import io.tally.catalog.ReportDefinition;
import io.tally.freshness.Freshness;

/**
 * What one execution read, recorded so its answer can be kept: each report read with the view
 * generation and time it was read at, and where in the answer each freshness field landed, so
 * those can be written in again, computed at send time, when the answer is reused.
 */
public final class ResponseRecording {

	private final Map<Freshness, Integer> readIndex = new IdentityHashMap<>();

	private final List<Read> reads = new ArrayList<>();

	private final List<Leaf> leaves = new ArrayList<>();

	private boolean unknownLeaf;

	/**
	 * One report answered.
	 * @param freshness the freshness object the answer carries, whose fields are recorded next
	 * @param report the report
	 * @param generation the view generation its data was read under
	 * @param readAt when its data was read from the view
	 * @param askedAgain run each time the kept answer is sent, so what counts how often an answer
	 * is asked for (the refresh warm-up) also counts the answers that never reach it
	 */
	public synchronized void read(Freshness freshness, ReportDefinition report, long generation, Instant readAt,
			Runnable askedAgain) {
		this.readIndex.put(freshness, this.reads.size());
		this.reads.add(new Read(report, generation, readAt, askedAgain));
	}

	synchronized void leaf(ResultPath path, Freshness source, String field, UnaryOperator<Object> serializer) {
		Integer read = this.readIndex.get(source);
		if (read == null) {
			this.unknownLeaf = true;
			return;
		}
		this.leaves.add(new Leaf(path.toList(), read, field, serializer));
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
	record Read(ReportDefinition report, long generation, Instant readAt, Runnable askedAgain) {
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
