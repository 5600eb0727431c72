package io.tally.support;

import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a refused report request looks like to a GraphQL client: one error classified
 * {@code BAD_REQUEST} (or another type) whose message names what was wrong, and no data, since
 * nothing was read.
 */
public final class ReportErrors {

	private ReportErrors() {
	}

	/** A BAD_REQUEST whose message names what was wrong, and no data: nothing was read. */
	public static void assertBadRequest(GraphQlTester.Response response, String... mentions) {
		assertRefused(response, "BAD_REQUEST", mentions);
	}

	public static void assertRefused(GraphQlTester.Response response, String type, String... mentions) {
		response.errors().satisfy(errors -> {
			assertThat(errors).isNotEmpty();
			assertThat(errors.get(0).getExtensions()).as(errors.toString()).containsEntry("classification", type);
			if (mentions.length > 0) {
				assertThat(errors.get(0).getMessage()).contains(mentions);
			}
		});
		assertThat((Object) response.returnResponse().getData()).as("data of a refused request").isNull();
	}

}
