package io.tally.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
		write("days.sql", GOOD_DAYS.replace("sum(revenue_cents)::bigint", "sum(revenue_cents)"));

		assertThatExceptionOfType(ReportCatalogException.class).isThrownBy(() -> build(REPORT_SDL))
			.withMessageContaining("column revenue_cents of")
			.withMessageContaining("is numeric, but field ShopDay.revenueCents is Long");
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

	private void write(String file, String content) throws IOException {
		Path folder = Files.createDirectories(this.sql.resolve("daily_revenue"));
		Files.writeString(folder.resolve(file), content);
	}

	private ReportCatalog build(String reportSdl) throws IOException {
		String base = Files.readString(Path.of("schema/tally.graphqls")).replace("type Query\n", "").replace("type Mutation\n", "");
		return build(base + reportSdl, this.sql.toUri().toString());
	}

	private static ReportCatalog build(String sdl, String sqlLocation) {
		TypeDefinitionRegistry registry = new SchemaParser().parse(sdl);
		RuntimeWiring wiring = RuntimeWiring.newRuntimeWiring()
			.scalar(ExtendedScalars.Date)
			.scalar(ExtendedScalars.DateTime)
			.scalar(ExtendedScalars.GraphQLLong)
			.scalar(ExtendedScalars.newAliasedScalar("Decimal").aliasedScalar(Scalars.GraphQLString).build())
			.build();
		GraphQLSchema schema = new SchemaGenerator().makeExecutableSchema(registry, wiring);
		return new ReportCatalogBuilder(new DefaultResourceLoader(), sqlLocation,
				new SqlDescriber(dataSource, "tally_reader"))
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
