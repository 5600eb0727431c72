package io.tally.bench;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import graphql.language.Field;
import graphql.language.OperationDefinition;
import graphql.parser.Parser;
import io.tally.query.ReportStatements;

/**
 * The seven reports of the pack as a client asks for them: the GraphQL document (every field of
 * the report, plus where the answer came from), the arguments of the fixed measurements (the
 * default range, the biggest tenant) with the SQL parameters the same request binds, and the
 * argument sets of the realistic mix.
 */
final class Workload {

	/** The biggest tenant (Zipf rank 1): the fixed measurements read it, the worst case. */
	static final String BIG_TENANT = "bench-001";

	private static final String FRESHNESS = " freshness { servedFrom ageSeconds stale } ";

	/**
	 * One report.
	 * @param field the Query field
	 * @param view its view and SQL folder
	 * @param document the GraphQL document
	 * @param variables the fixed measurements' variables
	 * @param mix argument sets of the mix (each needs the tenant's first provider id for some)
	 */
	record Report(String field, String view, String document, Map<String, Object> variables,
			List<Map<String, Object>> mix) {
	}

	private Workload() {
	}

	static List<Report> reports(LocalDate today) {
		LocalDate lastMonthStart = today.withDayOfMonth(1).minusMonths(1);
		LocalDate lastMonthEnd = today.withDayOfMonth(1).minusDays(1);
		List<Report> reports = new ArrayList<>();
		reports.add(new Report("dailyRevenue", "daily_revenue", """
				query($from: Date, $to: Date, $region: String) { dailyRevenue(from: $from, to: $to, region: $region) {
				  days { day ordersCreated paidOrders failedOrders revenueCents rolling7dRevenueCents }
				  totals { ordersCreated paidOrders revenueCents conversionRatePercent }""" + FRESHNESS + "} }",
				Map.of(),
				List.of(Map.of(), vars("from", today.minusDays(29), "to", today),
						vars("from", today.minusDays(364), "to", today), vars("region", "north"),
						vars("from", lastMonthStart, "to", lastMonthEnd, "region", "east"))));
		reports.add(new Report("planUsage", "plan_usage", """
				{ planUsage { plans { planId planName activeSubscriptions monthlyRevenueCents totalApiCalls }"""
				+ FRESHNESS + "} }", Map.of(), List.of(Map.of())));
		reports.add(new Report("upsell", "upsell", """
				query($from: Date, $to: Date, $providerId: ID) { upsell(from: $from, to: $to, providerId: $providerId) {
				  totals { completedJobs totalEstimated totalFinal upsellValue upsellRatePercent }
				  byProvider { providerId providerName completedJobs totalEstimated totalFinal upsellValue upsellRatePercent }"""
				+ FRESHNESS + "} }", Map.of(),
				List.of(Map.of(), vars("from", today.minusDays(29), "to", today), vars("providerId", "$provider"),
						vars("from", today.minusDays(364), "to", today))));
		reports.add(new Report("jobProfit", "job_profit", """
				query($from: Date, $to: Date, $providerId: ID, $first: Int, $after: String) {
				  jobProfit(from: $from, to: $to, providerId: $providerId, first: $first, after: $after) {
				  edges { cursor node { jobId providerId completedAt finalValue partsCost profit marginPercent } }
				  pageInfo { hasNextPage endCursor }
				  totals { completedJobs finalValue partsCost profit marginPercent }""" + FRESHNESS + "} }",
				Map.of(),
				List.of(Map.of(), vars("first", 20), vars("after", cursor(50)), vars("providerId", "$provider"),
						vars("from", today.minusDays(364), "to", today, "first", 100))));
		reports.add(new Report("jobDurations", "job_durations", """
				query($from: Date, $to: Date) { jobDurations(from: $from, to: $to) {
				  byProvider { providerId providerName completedJobs avgHours p50Hours p90Hours }
				  overall { completedJobs avgHours p50Hours p90Hours }""" + FRESHNESS + "} }", Map.of(),
				List.of(Map.of(), vars("from", today.minusDays(29), "to", today),
						vars("from", today.minusDays(364), "to", today))));
		reports.add(new Report("salesVsTarget", "sales_vs_target", """
				query($year: Int!) { salesVsTarget(year: $year) {
				  months { month grossSalesCents weekendGrossSalesCents targetCents attainmentPercent }"""
				+ FRESHNESS + "} }", Map.of("year", today.getYear()),
				List.of(Map.of("year", today.getYear()), Map.of("year", today.getYear() - 1))));
		reports.add(new Report("customerActivity", "customer_activity", """
				query($region: String, $first: Int, $after: String) { customerActivity(region: $region, first: $first, after: $after) {
				  edges { cursor node { customerId name region paidOrders lifetimeRevenueCents firstOrderAt lastOrderAt
				                        avgDaysBetweenOrders revenueRank } }
				  pageInfo { hasNextPage endCursor }""" + FRESHNESS + "} }", Map.of(),
				List.of(Map.of(), vars("first", 20), vars("after", cursor(50)), vars("region", "north"),
						vars("region", "south", "first", 100))));
		return reports;
	}

	/**
	 * The report fields the report's document selects (its sections among them), read from the
	 * document itself: the SQL floors send the sections a miss of this document reads.
	 */
	static Set<String> selectedFields(Report report) {
		OperationDefinition operation = Parser.parse(report.document())
			.getDefinitionsOfType(OperationDefinition.class)
			.get(0);
		Field root = operation.getSelectionSet()
			.getSelectionsOfType(Field.class)
			.stream()
			.filter(field -> field.getName().equals(report.field()))
			.findFirst()
			.orElseThrow();
		return root.getSelectionSet()
			.getSelectionsOfType(Field.class)
			.stream()
			.map(Field::getName)
			.collect(Collectors.toCollection(LinkedHashSet::new));
	}

	/** The opaque cursor Tally hands out for position n of a connection, made by Tally's own code. */
	static String cursor(long position) {
		return ReportStatements.cursor(String.valueOf(position));
	}

	static LocalDate utcToday() {
		return LocalDate.now(ZoneOffset.UTC);
	}

	private static Map<String, Object> vars(Object... pairs) {
		Map<String, Object> map = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			Object value = pairs[i + 1];
			map.put((String) pairs[i], (value instanceof LocalDate date) ? date.toString() : value);
		}
		return map;
	}

}
