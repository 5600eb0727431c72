package io.tally.cache;

import java.util.Locale;

/** Which cache an entry of the {@link CacheBudget} belongs to; the {@code cache} tag of its meters. */
public enum CacheKind {

	/** Report rows, by (tenant, report, generation, arguments, sections). */
	REPORTS,

	/** Kept whole answers, serialized. */
	ANSWERS;

	String tag() {
		return name().toLowerCase(Locale.ROOT);
	}

}
