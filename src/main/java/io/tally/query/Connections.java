package io.tally.query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one page of rows, fetched with one extra row, into Relay edges and page info: the extra
 * row only tells that a next page exists.
 */
final class Connections {

	static final String CURSOR_KEY = "$cursor";

	/** The connection field filled from the edges' query too. */
	static final String PAGE_INFO = "pageInfo";

	private Connections() {
	}

	static Map<String, Object> page(List<Map<String, Object>> rows, int first, boolean hasPrevious) {
		List<Map<String, Object>> edges = new ArrayList<>();
		for (Map<String, Object> row : rows.subList(0, Math.min(first, rows.size()))) {
			String cursor = Cursors.encode((String) row.remove(CURSOR_KEY));
			edges.add(Map.of("node", row, "cursor", cursor));
		}
		Map<String, Object> pageInfo = new HashMap<>();
		pageInfo.put("hasNextPage", rows.size() > first);
		pageInfo.put("hasPreviousPage", hasPrevious);
		pageInfo.put("startCursor", edges.isEmpty() ? null : edges.get(0).get("cursor"));
		pageInfo.put("endCursor", edges.isEmpty() ? null : edges.get(edges.size() - 1).get("cursor"));
		return Map.of("edges", edges, PAGE_INFO, pageInfo);
	}

}
