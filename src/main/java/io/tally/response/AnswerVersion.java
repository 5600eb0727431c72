package io.tally.response;

import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.tally.catalog.ReportDefinition;
import io.tally.freshness.ViewStatus;
import io.tally.replica.LedgerCopy;

/**
 * Which rows an answer holds: each report it read, by field, with the view status it was read
 * under, whose generation is what matters (a split view's generation is the whole view's, whatever
 * range was read). The one place generations are matched: a kept answer is sent again, and a
 * GET's entity tag matches, only while a ledger copy of a source that may serve it holds this
 * version; the report cache keys each read by its generation the same way, one report at a time.
 *
 * @param reads by report field, in field order so a version always describes itself the same way
 */
public record AnswerVersion(Map<String, Read> reads) {

	public AnswerVersion {
		reads = Collections.unmodifiableSortedMap(new TreeMap<>(reads));
	}

	/**
	 * The version of an answer whose reports were read under these statuses.
	 * @return empty when nothing was read, or one report was read under two generations (a refresh
	 * landed between two of its reads), so the answer has no single version
	 */
	public static Optional<AnswerVersion> of(Collection<Read> reads) {
		Map<String, Read> byField = new TreeMap<>();
		for (Read read : reads) {
			Read before = byField.putIfAbsent(read.report().field(), read);
			if (before != null && before.status().generation() != read.status().generation()) {
				return Optional.empty();
			}
		}
		return byField.isEmpty() ? Optional.empty() : Optional.of(new AnswerVersion(byField));
	}

	/** The version a ledger copy holds now for these reports, over all of each one's view. */
	public static AnswerVersion heldBy(LedgerCopy copy, Collection<ReportDefinition> reports) {
		return new AnswerVersion(reports.stream()
			.collect(Collectors.toMap(ReportDefinition::field, report -> new Read(report, copy.status(report, true)),
					(first, second) -> first, TreeMap::new)));
	}

	/** Whether this copy still holds every report at the generation it was read under. */
	public boolean heldBy(LedgerCopy copy) {
		return this.reads.values()
			.stream()
			.allMatch(read -> copy.status(read.report(), true).generation() == read.status().generation());
	}

	/** This version over just these reports; empty when one of them was not read. */
	public Optional<AnswerVersion> over(Collection<ReportDefinition> reports) {
		Map<String, Read> over = new TreeMap<>();
		for (ReportDefinition report : reports) {
			Read read = this.reads.get(report.field());
			if (read == null) {
				return Optional.empty();
			}
			over.put(report.field(), read);
		}
		return Optional.of(new AnswerVersion(over));
	}

	/** The reports it covers. */
	public List<ReportDefinition> reports() {
		return this.reads.values().stream().map(Read::report).toList();
	}

	/** {@code view@generation} of each report, in field order: what an entity tag is made of. */
	public List<String> generations() {
		return this.reads.values()
			.stream()
			.map(read -> read.report().view() + "@" + read.status().generation())
			.toList();
	}

	/**
	 * @param report the report read
	 * @param status its view's status where and when it was read
	 */
	public record Read(ReportDefinition report, ViewStatus status) {
	}

}
