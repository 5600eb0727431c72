package io.tally.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.graphql.test.tester.GraphQlTester;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Relay connection read page by page, as a client does: follow {@code endCursor} while
 * {@code hasNextPage}, checking on the way that every page holds 1 to {@code first} nodes and says
 * whether a page precedes it.
 *
 * @param nodes every page's nodes, in order
 * @param totals every page's {@code totals}, when the connection has them
 * @param count how many pages were read
 */
public record ConnectionPages(List<Map<String, Object>> nodes, List<Map<String, Object>> totals, int count) {

	private static final ParameterizedTypeReference<Map<String, Object>> MAP = new ParameterizedTypeReference<>() {
	};

	/** No connection here has more than a few dozen rows; a cursor that never ends is a defect. */
	private static final int MAX_PAGES = 50;

	/**
	 * @param query runs the connection's document with the given variables
	 * @param field the connection's {@code Query} field
	 * @param arguments the variables of every page besides {@code first} and {@code after}
	 * @param first the page size
	 */
	public static ConnectionPages walk(Function<Map<String, Object>, GraphQlTester.Response> query, String field,
			Map<String, Object> arguments, int first) {
		List<Map<String, Object>> nodes = new ArrayList<>();
		List<Map<String, Object>> totals = new ArrayList<>();
		String after = null;
		int count = 0;
		boolean hasNextPage;
		do {
			Map<String, Object> variables = new HashMap<>(arguments);
			variables.put("first", first);
			variables.put("after", after);
			GraphQlTester.Response page = query.apply(variables);
			List<Map<String, Object>> pageNodes = page.path(field + ".edges[*].node").entityList(MAP).get();
			assertThat(pageNodes).as("page %d of %s", count + 1, field).hasSizeBetween(1, first);
			page.path(field + ".pageInfo.hasPreviousPage").entity(Boolean.class).isEqualTo(after != null);
			nodes.addAll(pageNodes);
			Map<String, Object> pageTotals = page.returnResponse().field(field + ".totals").getValue();
			if (pageTotals != null) {
				totals.add(pageTotals);
			}
			hasNextPage = page.path(field + ".pageInfo.hasNextPage").entity(Boolean.class).get();
			after = page.returnResponse().field(field + ".pageInfo.endCursor").getValue();
			count++;
		}
		while (hasNextPage && count < MAX_PAGES);
		return new ConnectionPages(nodes, totals, count);
	}

}
