package io.tally.catalog;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems found while building the catalog. They are collected, not thrown one at a time,
 * so a broken report is fixed in one round.
 */
final class Problems {

	private final List<String> messages = new ArrayList<>();

	/** Records a problem; returns null so a check can {@code return problems.add(...)}. */
	<T> T add(String format, Object... args) {
		this.messages.add(String.format(format, args));
		return null;
	}

	void throwIfAny() {
		if (!this.messages.isEmpty()) {
			throw new ReportCatalogException(this.messages);
		}
	}

}
