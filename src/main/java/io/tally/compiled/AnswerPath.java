package io.tally.compiled;

import java.util.ArrayList;
import java.util.List;

/**
 * A place in an answer's data, kept as links to its parent: made for every object and list item
 * written, listed only where a freshness field lands.
 *
 * @param parent the enclosing place, or null at the root
 * @param segment a field's result key or a list index
 */
record AnswerPath(AnswerPath parent, Object segment) {

	List<Object> toList() {
		List<Object> segments = new ArrayList<>();
		for (AnswerPath at = this; at != null; at = at.parent) {
			segments.add(0, at.segment);
		}
		return segments;
	}

}
