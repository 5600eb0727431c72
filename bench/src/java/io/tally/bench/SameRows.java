package io.tally.bench;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import tools.jackson.databind.json.JsonMapper;

/**
 * Whether PostGraphile's answer holds Tally's dailyRevenue rows: the same days in the same order,
 * each with the same five numbers, and the same totals. Numbers are compared as decimals (Tally
 * writes sums of cents as JSON numbers, PostGraphile as strings). Checked before PostGraphile is
 * measured, so its rows are a comparison of equal answers.
 */
final class SameRows {

	private static final JsonMapper json = JsonMapper.builder().build();

	/** Tally's day field and PostGraphile's name for the same column. */
	private static final Map<String, String> DAY_FIELDS = Map.of("day", "day", "ordersCreated", "ordersCreated",
			"paidOrders", "paidOrders", "failedOrders", "failedOrders", "revenueCents", "revenueCents",
			"rolling7dRevenueCents", "rolling7DRevenueCents");

	private static final List<String> TOTAL_FIELDS = List.of("ordersCreated", "paidOrders", "revenueCents",
			"conversionRatePercent");

	private SameRows() {
	}

	/** The first and last day of Tally's answer: the range PostGraphile is asked for. */
	static List<String> range(String tallyAnswer) {
		List<Map<String, Object>> days = tallyDays(tallyAnswer);
		return List.of(String.valueOf(days.get(0).get("day")), String.valueOf(days.get(days.size() - 1).get("day")));
	}

	/**
	 * @return what matched ("90 days, ... equal"), or throws naming the first difference
	 */
	@SuppressWarnings("unchecked")
	static String check(String tallyAnswer, String postGraphileAnswer) {
		Map<String, Object> report = (Map<String, Object>) data(tallyAnswer).get("dailyRevenue");
		List<Map<String, Object>> days = tallyDays(tallyAnswer);
		Map<String, Object> other = data(postGraphileAnswer);
		List<Map<String, Object>> otherDays = (List<Map<String, Object>>) other.get("dailyRevenueDaysList");
		if (otherDays == null || otherDays.size() != days.size()) {
			throw new IllegalStateException("PostGraphile answered " + ((otherDays == null) ? "no" : otherDays.size())
					+ " days, Tally " + days.size() + ": " + postGraphileAnswer);
		}
		for (int i = 0; i < days.size(); i++) {
			for (Map.Entry<String, String> field : DAY_FIELDS.entrySet()) {
				same("day " + days.get(i).get("day") + " " + field.getKey(), days.get(i).get(field.getKey()),
						otherDays.get(i).get(field.getValue()));
			}
		}
		Map<String, Object> totals = (Map<String, Object>) report.get("totals");
		Map<String, Object> otherTotals = (Map<String, Object>) other.get("dailyRevenueTotals");
		for (String field : TOTAL_FIELDS) {
			same("totals " + field, totals.get(field), (otherTotals != null) ? otherTotals.get(field) : null);
		}
		return days.size() + " days " + days.get(0).get("day") + ".." + days.get(days.size() - 1).get("day")
				+ " and the totals equal Tally's answer, field by field (revenue " + totals.get("revenueCents") + ")";
	}

	private static void same(String what, Object tally, Object postGraphile) {
		boolean equal = (tally instanceof Number || postGraphile instanceof Number)
				? tally != null && postGraphile != null && new BigDecimal(String.valueOf(tally))
					.compareTo(new BigDecimal(String.valueOf(postGraphile))) == 0
				: Objects.equals(tally, postGraphile);
		if (!equal) {
			throw new IllegalStateException("PostGraphile's answer differs from Tally's at " + what + ": Tally "
					+ tally + ", PostGraphile " + postGraphile);
		}
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> tallyDays(String tallyAnswer) {
		List<Map<String, Object>> days = (List<Map<String, Object>>) ((Map<String, Object>) data(tallyAnswer)
			.get("dailyRevenue")).get("days");
		if (days == null || days.isEmpty()) {
			throw new IllegalStateException("Tally's answer has no days: " + tallyAnswer);
		}
		return days;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> data(String answer) {
		Map<String, Object> data = (Map<String, Object>) json.readValue(answer, Map.class).get("data");
		if (data == null) {
			throw new IllegalStateException("No data in " + answer);
		}
		return data;
	}

}
