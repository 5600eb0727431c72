package io.tally.httpcache;

import java.util.List;

/**
 * A GET's revalidation, carried from the GET handler through the pipeline and back: the entity
 * tags its {@code If-None-Match} names, and the current tag once {@link RevalidationInterceptor}
 * has found the caller's copy current (the request attributes an interceptor sees are read-only,
 * so the answer travels in this holder).
 */
final class Revalidation {

	static final String ATTRIBUTE = Revalidation.class.getName();

	private final List<String> asked;

	private volatile AnswerTags.Tag notModified;

	Revalidation(List<String> asked) {
		this.asked = List.copyOf(asked);
	}

	List<String> asked() {
		return this.asked;
	}

	/** The current tag when the caller's copy is current, else null. */
	AnswerTags.Tag notModified() {
		return this.notModified;
	}

	void notModified(AnswerTags.Tag current) {
		this.notModified = current;
	}

}
