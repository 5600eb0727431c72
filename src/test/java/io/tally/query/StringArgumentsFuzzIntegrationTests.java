package io.tally.query;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.tally.catalog.ReportArgument;
import io.tally.catalog.ReportCatalog;
import io.tally.catalog.ReportDefinition;
import io.tally.support.GraphQlHttp.Response;
import io.tally.support.IntegrationTestSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every string argument of every report in the catalog (String and ID, and a connection's cursor)
 * gets values PostgreSQL or the driver might choke on: no answer may be an INTERNAL_ERROR, and
 * what PostgreSQL cannot take is a BAD_REQUEST naming the argument. The reports come from the
 * catalog, so a new report is fuzzed without touching this test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StringArgumentsFuzzIntegrationTests extends IntegrationTestSupport {

	/** Values the gateway must refuse, naming the argument. */
	private static final List<String> REFUSED = List.of("\u0000", "north\u0000", "a\uD800", "\uDC00b", "x".repeat(1001));

	/** Values that are merely odd: each is an answer or a BAD_REQUEST, never an internal error. */
	private static final List<String> ODD = List.of("", " ", "north", "' OR '1'='1", "'; DROP TABLE app.orders; --",
			"%", "_", "\\", "\\0", "$1", ":region", "\u202Enorth", "\u2028", "\uD83D\uDE00", "\u00e9",
			"9".repeat(30), "-9223372036854775809", "9223372036854775807", "-1", " 12 ", "1e3", "0x10", "NaN",
			"Infinity", "null", "x".repeat(1000), "dGFsbHk6MQ==", "tally:-1", "tally:99999999999999999999");

	/** Escapes every non-ASCII character, so a lone surrogate travels as {@code \\ud800}, as a client may send it. */
	private static final JsonMapper json = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

	@Autowired
	ReportCatalog catalog;

	@BeforeAll
	void fixture() {
		this.jdbc.sql("INSERT INTO app.tenants (id, name) VALUES ('fs-a', 'Fuzz strings')").update();
		this.catalog.all().forEach(report -> refreshReport(report.field()));
	}

	@Test
	void noStringArgumentValueOfAnyReportIsAnInternalError() {
		int requests = 0;
		for (ReportDefinition report : this.catalog.all()) {
			for (String argument : stringArguments(report)) {
				for (String value : REFUSED) {
					Response response = ask(report, argument, value);
					response.assertBadRequest("'" + argument + "'");
					requests++;
				}
				for (String value : ODD) {
					Response response = ask(report, argument, value);
					assertThat(response.status()).as(report.field() + "(" + argument + ": " + value + ")").isEqualTo(200);
					assertThat(response.<List<String>>path("$.errors[*].extensions.classification"))
						.as(report.field() + "(" + argument + ": " + value + "): " + response.body())
						.allMatch("BAD_REQUEST"::equals);
					requests++;
				}
			}
		}
		assertThat(requests).as("six string arguments over the pack").isGreaterThanOrEqualTo(6 * (REFUSED.size() + ODD.size()));
	}

	private static List<String> stringArguments(ReportDefinition report) {
		List<String> names = new ArrayList<>();
		for (ReportArgument argument : report.arguments()) {
			if (argument.graphQlType().equals("String") || argument.graphQlType().equals("ID")) {
				names.add(argument.name());
			}
		}
		if (report.connection()) {
			names.add(ReportDefinition.AFTER);
		}
		return names;
	}

	private Response ask(ReportDefinition report, String argument, String value) {
		String type = report.arguments()
			.stream()
			.filter(candidate -> candidate.name().equals(argument))
			.map(ReportArgument::graphQlType)
			.findFirst()
			.orElse("String");
		// The other arguments are left to their defaults; a required one gets a valid value.
		StringBuilder declared = new StringBuilder("$value: " + type);
		StringBuilder passed = new StringBuilder(argument + ": $value");
		Map<String, Object> variables = new HashMap<>();
		variables.put("value", value);
		for (ReportArgument other : report.arguments()) {
			if (other.required() && !other.name().equals(argument)) {
				declared.append(", $").append(other.name()).append(": ").append(other.graphQlType()).append('!');
				passed.append(", ").append(other.name()).append(": $").append(other.name());
				variables.put(other.name(), other.graphQlType().equals("Int") ? 2026 : "2026-01-01");
			}
		}
		String document = "query(" + declared + ") { " + report.field() + "(" + passed + ") { __typename } }";
		return graphQl().postRaw(this.issuer.tenantUser("fs-a"), null,
				json.writeValueAsString(Map.of("query", document, "variables", variables)));
	}

}
