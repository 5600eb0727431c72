package io.tally.graphql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.tally.support.GraphQlHttp;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.json.JsonMapper;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Thousands of generated bad requests (mangled documents, ill-typed variables, hostile tenant
 * headers and tokens, malformed bodies) from a fixed seed, so a failure can be replayed: none may
 * get a 5xx, a stack trace or an internal name, or read tenant fz-b, whose numbers would stand out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputFuzzIntegrationTests extends IntegrationTestSupport {

	private static final long SEED = 20261121L;

	private static final int CASES = 2_000;

	/** Stops generating early on a slow machine, so the test stays bounded. */
	private static final long BUDGET_NANOS = 55_000_000_000L;

	/** Tenant fz-b's revenue: it must never appear in an answer to a caller of fz-a. */
	private static final String OTHER_TENANTS_REVENUE = "9876543";

	private static final List<String> LEAKS = List.of("Exception", "\tat ", "at io.", "io.tally", "java.",
			"org.springframework", "org.postgresql", "PSQL", "SQLSTATE", "syntax error at or near", "report.daily",
			"app.orders", "mv.", "tally_reader", "Caused by");

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final List<String> DOCUMENTS = List.of("{ dailyRevenue { totals { revenueCents paidOrders } } }",
			"query Q($from: Date, $to: Date, $region: String) { dailyRevenue(from: $from, to: $to, region: $region) "
					+ "{ days { day revenueCents } totals { revenueCents } freshness { stale servedFrom } } }",
			"query P($first: Int, $after: String, $providerId: ID) { jobProfit(first: $first, after: $after, "
					+ "providerId: $providerId) { edges { cursor node { jobId profit } } pageInfo { hasNextPage endCursor } } }",
			"{ tenants { id name } }", "mutation { refreshReport(report: \"dailyRevenue\") { report } }",
			"{ __schema { types { name } } }", "query Y($year: Int) { salesVsTarget(year: $year) { __typename } }");

	private static final List<String> FRAGMENTS = List.of("{", "}", "(", ")", "[", "]", "$", "...", "@skip(if: true)",
			"@include", "fragment F on Query { dailyRevenue { days { day } } }", "...F", "\"", "\"\"\"", "#", ":", "!",
			"=", ",", "__typename", "\u0000", "\uD835\uDD18", "null", "-1", "1e309", "0x10", "query", "mutation",
			"subscription", "on", "$from", "$$", "\\u0041", "a".repeat(300), "{".repeat(60), "}".repeat(60),
			"dailyRevenue(from: \"2026-02-30\")", "dailyRevenue(to: 12)", "jobProfit(first: -5)",
			"jobProfit(after: \"not-a-cursor\")", "region: \"' OR 1=1 --\"", "x: dailyRevenue", "__type(name: \"Query\")");

	private static final List<Object> VALUES = List.of("2026-13-45", "2026-02-30", "99999-01-01", "1999-12-31",
			"0000-00-00", "", " ", "' OR '1'='1", "fz-b", "null", -1, 0, Integer.MAX_VALUE, Long.MAX_VALUE, 1.5e308,
			-2147483649L, true, List.of(), List.of("2026-01-01"), Map.of(), Map.of("tenant", "fz-b"),
			"eyJ0ZW5hbnQiOiJmei1iIn0", "bm90LWEtY3Vyc29y", "\u0000", "x".repeat(5_000));

	private static final List<String> TENANT_HEADERS = List.of("fz-b", "FZ-B", " fz-b", "fz-b ", "fz-a,fz-b",
			"fz-a, fz-b", "*", "%", "' OR '1'='1", "fz-a' OR tenant_id='fz-b", "", "   ", "fz-a\tfz-b",
			"fz-" + "b".repeat(2_000), "null", "../fz-b", "fz-a%00fz-b", "\u00e9\u00e8");

	@BeforeAll
	void fixture() {
		this.jdbc.sql("""
				INSERT INTO app.tenants (id, name) VALUES ('fz-a', 'Fuzz A'), ('fz-b', 'Fuzz B');
				INSERT INTO app.customers (id, tenant_id, name, region) VALUES (1, 'fz-a', 'A', 'north'), (1, 'fz-b', 'B', 'north');
				INSERT INTO app.orders (tenant_id, customer_id, created_at, status, total_cents) VALUES
				  ('fz-a', 1, now() - interval '2 days', 'paid', 1234567),
				  ('fz-b', 1, now() - interval '2 days', 'paid', 9876543);
				""").update();
		refreshReport("dailyRevenue");
	}

	@Test
	void noBadInputGetsAServerErrorAStackTraceOrAnotherTenantsData() {
		Random random = new Random(SEED);
		GraphQlHttp http = graphQl();
		String user = this.issuer.tenantUser("fz-a");
		String partner = this.issuer.partner("fz-a");
		long started = System.nanoTime();
		int cases = 0;
		int answeredWithData = 0;
		List<String> failures = new ArrayList<>();
		for (; cases < CASES && System.nanoTime() - started < BUDGET_NANOS; cases++) {
			String token = token(random, user, partner);
			String tenant = (random.nextInt(3) == 0) ? pick(random, TENANT_HEADERS) : null;
			String body = body(random);
			Response response;
			try {
				response = http.postRaw(token, tenant, body);
			}
			catch (IllegalArgumentException ex) {
				// The HTTP client itself refuses this header value; no server would see it.
				response = http.postRaw(token, null, body);
				tenant = null;
			}
			String request = body + " " + tenant + " " + token;
			String problem = problem(request, response);
			if (problem != null && failures.size() < 10) {
				failures.add("case " + cases + ": " + problem + "\n  request: " + abbreviate(request) + "\n  answer: "
						+ response.status() + " " + abbreviate(response.body()));
			}
			if (response.body().contains("1234567")) {
				answeredWithData++;
			}
		}
		if (!failures.isEmpty()) {
			fail(String.join("\n", failures));
		}
		assertThat(cases).as("cases run within the time budget").isGreaterThanOrEqualTo(500);
		assertThat(answeredWithData).as("cases that got past every check and read fz-a's own data").isPositive();
	}

	/** What is wrong with this answer, or null. */
	private static String problem(String request, Response response) {
		if (response.status() >= 500) {
			return "server error " + response.status();
		}
		if (response.body().contains(OTHER_TENANTS_REVENUE) && !request.contains(OTHER_TENANTS_REVENUE)) {
			return "another tenant's data";
		}
		for (String leak : LEAKS) {
			if (response.body().contains(leak) && !request.contains(leak)) {
				return "internal detail '" + leak + "'";
			}
		}
		return null;
	}

	private static String token(Random random, String user, String partner) {
		return switch (random.nextInt(10)) {
			case 0 -> null;
			case 1 -> mangle(random, user);
			case 2 -> partner;
			case 3 -> randomText(random, 1 + random.nextInt(60)).replaceAll("[^A-Za-z0-9._-]", "");
			default -> user;
		};
	}

	private static String body(Random random) {
		return switch (random.nextInt(10)) {
			case 0 -> mangle(random, json.writeValueAsString(Map.of("query", pick(random, DOCUMENTS))));
			case 1 -> pick(random, List.of("", "null", "[]", "{}", "\"query\"", "{\"query\": 5}", "{\"query\": null}",
					"{\"query\": [\"{ tenants { id } }\"]}", "{\"query\": \"{ tenants { id } }\", \"variables\": \"x\"}",
					"{\"query\": \"{ tenants { id } }\", \"operationName\": {}}", "[".repeat(2_000),
					"{\"query\": \"" + "\\u0000".repeat(50) + "\"}", "{\"a\":" .repeat(1_000),
					"[{\"query\": \"{ dailyRevenue { totals { revenueCents } } }\"}]"));
			case 2, 3, 4 -> request(random, mangled(random), variables(random));
			default -> request(random, pick(random, DOCUMENTS), variables(random));
		};
	}

	private static String request(Random random, String document, Map<String, Object> variables) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("query", document);
		body.put("variables", variables);
		if (random.nextInt(8) == 0) {
			body.put("operationName", pick(random, List.of("Q", "P", "Y", "Nope", "")));
		}
		return json.writeValueAsString(body);
	}

	private static String mangled(Random random) {
		String document = pick(random, DOCUMENTS);
		int edits = 1 + random.nextInt(4);
		for (int i = 0; i < edits; i++) {
			int at = random.nextInt(document.length() + 1);
			document = switch (random.nextInt(4)) {
				case 0 -> document.substring(0, at) + pick(random, FRAGMENTS) + document.substring(at);
				case 1 -> document.substring(0, at) + document.substring(Math.min(document.length(), at + 1 + random.nextInt(8)));
				case 2 -> document.substring(0, at);
				default -> document.substring(0, at) + pick(random, DOCUMENTS) + document.substring(at);
			};
		}
		return document;
	}

	private static Map<String, Object> variables(Random random) {
		Map<String, Object> variables = new LinkedHashMap<>();
		for (String name : List.of("from", "to", "region", "first", "after", "providerId", "year", "tenant")) {
			if (random.nextInt(3) == 0) {
				variables.put(name, pick(random, VALUES));
			}
		}
		return variables;
	}

	private static String mangle(Random random, String text) {
		StringBuilder mangled = new StringBuilder(text);
		int edits = 1 + random.nextInt(3);
		for (int i = 0; i < edits && !mangled.isEmpty(); i++) {
			int at = random.nextInt(mangled.length());
			mangled.setCharAt(at, (char) (33 + random.nextInt(94)));
		}
		return mangled.toString();
	}

	private static String randomText(Random random, int length) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			text.append((char) (32 + random.nextInt(95)));
		}
		return text.toString();
	}

	private static <T> T pick(Random random, List<T> values) {
		return values.get(random.nextInt(values.size()));
	}

	private static String abbreviate(String text) {
		return (text.length() > 300) ? text.substring(0, 300) + "..." : text;
	}

}
