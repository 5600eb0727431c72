package io.tally.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import graphql.Scalars;
import graphql.scalars.ExtendedScalars;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import io.tally.support.Migrations;
import io.tally.support.TestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The start-up check: a report whose SDL and SQL disagree stops start-up with a message naming
 * the report, the field and the column. Each test writes a small report to a temporary folder and
 * checks it against the real, migrated database.
 */
class ReportCatalogTests {

	private static final String REPORT_SDL = """
			type Query {
			  shopRevenue(from: Date, to: Date, region: String): ShopRevenueReport!
			    @report(view: "daily_revenue", refresh: "PT5M")
			}
			type ShopRevenueReport { days: [ShopDay!]!  freshness: Freshness! }
			type ShopDay { day: Date!  revenueCents: Long! }
			""";

	private static final String GOOD_DAYS = """
			SELECT day, sum(revenue_cents)::bigint AS revenue_cents
			FROM report.daily_revenue
			WHERE day BETWEEN CAST(:from AS date) AND CAST(:to AS date)
			  AND (CAST(:region AS text) IS NULL OR region = CAST(:region AS text))
			GROUP BY day ORDER BY day
			""";

	private static DataSource dataSource;

	@TempDir
	Path sql;

	@BeforeAll
	static void database() {
		TestDatabase database = Migrations.migrated();
		dataSource = new DriverManagerDataSource(database.jdbcUrl(), database.username(), database.password());
	}

	@Test
	void acceptsTheShippedSchemaAndSql() throws IOException {
		ReportCatalog catalog = build(shippedSchema(), "file:sql/reports/");

		assertThat(catalog.find("dailyRevenue")).hasValueSatisfying(report -> {
			assertThat(report.view()).isEqualTo("daily_revenue");
			assertThat(report.sections()).extracting(ReportSection::field).containsExactlyInAnyOrder("days", "totals");
			assertThat(report.parameterTypes()).containsEntry("from", "date").containsEntry("region", "text");
		});
	}

	@Test
	void anOperatorOverridesHowOftenASplitReportsHistoryIsRefreshed() throws IOException {
		ReportCatalog catalog = build(shippedSchema(), "file:sql/reports/",
				Map.of("dailyRevenue", new ReportPolicyProperties.Policy(null, null, null, Duration.ofHours(6))));

		assertThat(catalog.find("dailyRevenue").orElseThrow().split().historyRefresh()).isEqualTo(Duration.ofHours(6));
		assertThat(build(shippedSchema(), "file:sql/reports/").find("dailyRevenue").orElseThrow().split().historyRefresh())
			.as("the directive's P1D without an override")
			.isEqualTo(Duration.ofDays(1));
	}

	@Test
	void refusesAHistoryRefreshOverrideForAReportThatIsNotSplit() {
		assertThatExceptionOfType(ReportCatalogException.class)
			.isThrownBy(() -> build(shippedSchema(), "file:sql/reports/",
					Map.of("planUsage", new ReportPolicyProperties.Policy(null, null, null, Duration.ofHours(6)))))
			.withMessageContaining("tally.reports.planUsage.history-refresh: report 'planUsage' is not split");
	}

	@Test
	void acceptsAReportWhoseSqlMatches() throws IOException {
		write("days.sql", GOOD_DAYS);

		assertThat(build(REPORT_SDL).find("shopRevenue")).isPresent();
	}

	@Test
	void namesTheFieldWithoutAColumn() throws IOException {
		write("days.sql", GOOD_DAYS.replace("AS revenue_cents", "AS revenue"));

		assertThatExceptionOfType(ReportCatalogException.class).isThrownBy(() -> build(REPORT_SDL))
			.withMessageContaining("Report 'shopRevenue'")
			.withMessageContaining("field ShopDay.revenueCents has no column (revenueCents in snake case)")
			.withMessageContaining("days.sql");
	}

	@Test
	void namesAColumnWhoseTypeDoesNotFit() throws IOException {
		write("days.sql", GOOD_DAYS.replace("sum(revenue_cents)::bigint", "sum(revenue_cents)::float8"));

		assertThatExceptionOfType(ReportCatalogException.class).isThrownBy(() -> build(REPORT_SDL))
			.withMessageContaining("column revenue_cents of")
			.withMessageContaining("is float8, but field ShopDay.revenueCents is Long");
	}

	@Test
	void namesAParameterThatIsNoArgumentAndAnArgumentNoSqlUses() throws IOException {
		write("days.sql", GOOD_DAYS.replace("CAST(:region AS text) IS NULL OR region = CAST(:region AS text)",
				"CAST(:currency AS text) IS NULL"));

		assertThatExceptionOfType(ReportCatalogException.class).isThrownBy(() -> build(REPORT_SDL))
			.withMessageContaining("uses :currency, which is not an argument of Query.shopRevenue")
			.withMessageContaining("argument 'region' is not used");
	}

	@Test
	void namesAMissingSqlFile() {
		assertThatExceptionOfType(ReportCatalogException.class).isThrownBy(() -> build(REPORT_SDL))
			.withMessageContaining("field ShopRevenueReport.days needs the SQL file")
			.withMessageContaining("daily_revenue/<days in snake case>.sql, which does not exist");
	}

	@Test
	void refusesSqlThatReadsWhatTheQueryRoleMayNotRead() throws IOException {
		write("days.sql", """
				SELECT created_at::date AS day, total_cents AS revenue_cents FROM app.orders
				WHERE created_at::date BETWEEN CAST(:from AS date) AND CAST(:to AS date) AND CAST(:region AS text) IS NULL
				""");

		assertThatExceptionOfType(ReportCatalogException.class).isThrownBy(() -> build(REPORT_SDL))
			.withMessageContaining("does not run as the query role")
			.withMessageContaining("permission denied");
	}

	@Test
	void refusesAReportTypeWithoutFreshness() throws IOException {
		write("days.sql", GOOD_DAYS);

		assertThatExceptionOfType(ReportCatalogException.class)
			.isThrownBy(() -> build(REPORT_SDL.replace("freshness: Freshness!", "")))
			.withMessageContaining("type ShopRevenueReport needs the field 'freshness: Freshness!'");
	}

	@Test
	void readsTheArgumentRulesFromTheDirectivesTakingTheirDefaults() throws IOException {
		write("days.sql", GOOD_DAYS);

		ReportCatalog catalog = build(REPORT_SDL.replace("shopRevenue(from: Date, to: Date,",
				"shopRevenue(from: Date @years(min: 2001, max: 2009), to: Date,")
			.replace("@report(view: \"daily_revenue\", refresh: \"PT5M\")",
					"@report(view: \"daily_revenue\", refresh: \"PT5M\") @dateRange(start: \"from\", end: \"to\", maxDays: 100)"));

		assertThat(catalog.find("shopRevenue").orElseThrow().rules()).isEqualTo(new ArgumentRules(
				new ArgumentRules.DateRange("from", "to", 90, 100), java.util.Map.of("from", new ArgumentRules.Years(2001, 2009)),
				null));
	}

	@Test
	void namesARuleThatDoesNotFitItsArguments() throws IOException {
		write("days.sql", GOOD_DAYS);

		assertThatExceptionOfType(ReportCatalogException.class)
			.isThrownBy(() -> build(REPORT_SDL.replace("region: String)", "region: String @years(min: 1, max: 2))")
				.replace("@report(view: \"daily_revenue\", refresh: \"PT5M\")",
						"@report(view: \"daily_revenue\", refresh: \"PT5M\") @dateRange(start: \"since\", end: \"to\") "
								+ "@page(defaultSize: 5, maxSize: 4)")))
			.withMessageContaining("Report 'shopRevenue': @dateRange(start: \"since\") must name a Date argument of Query.shopRevenue")
			.withMessageContaining("Report 'shopRevenue': @years on argument 'region' needs an Int or a Date, not String")
			.withMessageContaining("Report 'shopRevenue': @page is for connections");
	}

	private void write(String file, String content) throws IOException {
		Path folder = Files.createDirectories(this.sql.resolve("daily_revenue"));
		Files.writeString(folder.resolve(file), content);
	}

	private ReportCatalog build(String reportSdl) throws IOException {
		String base = Files.readString(Path.of("schema/tally.graphqls")).replace("type Query\n", "").replace("type Mutation\n", "");
		return build(base + reportSdl, this.sql.toUri().toString());
	}

	private static ReportCatalog build(String sdl, String sqlLocation) {
		return build(sdl, sqlLocation, Map.of());
	}

	private static ReportCatalog build(String sdl, String sqlLocation, Map<String, ReportPolicyProperties.Policy> policies) {
		TypeDefinitionRegistry registry = new SchemaParser().parse(sdl);
		RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
			.scalar(ExtendedScalars.Date)
			.scalar(ExtendedScalars.DateTime)
			.scalar(ExtendedScalars.GraphQLLong)
			.scalar(ExtendedScalars.newAliasedScalar("Decimal").aliasedScalar(Scalars.GraphQLString).build())
			.build();
		GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(registry, wiring);
		return new ReportCatalogBuilder(new DefaultResourceLoader(), sqlLocation,
				new SqlDescriber(dataSource, "tally_reader"), policies)
			.build(schema);
	}

	private static String shippedSchema() throws IOException {
		StringBuilder sdl = new StringBuilder();
		try (var files = Files.list(Path.of("schema"))) {
			for (Path file : files.sorted().toList()) {
				sdl.append(Files.readString(file)).append('\n');
			}
		}
		return sdl.toString();
	}

}
