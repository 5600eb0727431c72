package io.tally.query;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The schema published for front-end codegen has every report, also as a subscription, and no
 * admin field or type.
 */
class PublicSchemaTests {

	@Test
	void publishesTheReportsTheViewerAndLiveUpdatesWithoutAdministration() throws Exception {
		String schema = PublicSchema.print(Path.of("schema"));

		assertThat(schema).contains("dailyRevenue(from: Date, region: String, to: Date): DailyRevenueReport!",
				"viewer: Viewer!", "type Subscription", "reportRefreshed(reports: [String!]): ReportRefreshed!",
				"type Freshness");
		assertThat(schema.substring(schema.indexOf("type Subscription"))).contains("salesVsTarget(year: Int!)");
		assertThat(schema).doesNotContain("reportStatus", "refreshReport", "ReportStatus", "type Mutation", "@report",
				"directive @");
		String query = schema.substring(schema.indexOf("type Query {"), schema.indexOf("}", schema.indexOf("type Query {")));
		assertThat(query).as("the admins' tenants field").doesNotContain("tenants:");
	}

}
