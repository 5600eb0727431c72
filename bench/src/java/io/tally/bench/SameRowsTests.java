package io.tally.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * PostGraphile is measured only when its answer holds Tally's rows: the same days, the same
 * numbers (as decimals: PostGraphile writes numeric sums as strings), the same totals.
 */
class SameRowsTests {

	private static final String TALLY = """
			{"data":{"dailyRevenue":{"days":[
			  {"day":"2026-09-09","ordersCreated":540,"paidOrders":375,"failedOrders":67,"revenueCents":17855611,"rolling7dRevenueCents":119587398},
			  {"day":"2026-09-10","ordersCreated":0,"paidOrders":0,"failedOrders":0,"revenueCents":0,"rolling7dRevenueCents":119587398}],
			 "totals":{"ordersCreated":540,"paidOrders":375,"revenueCents":17855611,"conversionRatePercent":69.44},
			 "freshness":{"servedFrom":"VIEW","ageSeconds":3,"stale":false}}}}""";

	private static final String POSTGRAPHILE = """
			{"data":{"dailyRevenueDaysList":[
			  {"day":"2026-09-09","ordersCreated":540,"paidOrders":375,"failedOrders":67,"revenueCents":"17855611","rolling7DRevenueCents":"119587398"},
			  {"day":"2026-09-10","ordersCreated":0,"paidOrders":0,"failedOrders":0,"revenueCents":"0","rolling7DRevenueCents":"119587398"}],
			 "dailyRevenueTotals":{"ordersCreated":540,"paidOrders":375,"revenueCents":"17855611","conversionRatePercent":69.44}}}""";

	@Test
	void asksPostGraphileForTheDaysOfTallysAnswer() {
		assertThat(SameRows.range(TALLY)).containsExactly("2026-09-09", "2026-09-10");
	}

	@Test
	void acceptsTheSameDaysAndNumbersWrittenAsStrings() {
		assertThat(SameRows.check(TALLY, POSTGRAPHILE)).startsWith("2 days 2026-09-09..2026-09-10 and the totals equal");
	}

	@Test
	void rejectsADayWhoseSumDiffers() {
		assertThatIllegalStateException()
			.isThrownBy(() -> SameRows.check(TALLY, POSTGRAPHILE.replace("\"119587398\"}]", "\"119587399\"}]")))
			.withMessageContaining("day 2026-09-10 rolling7dRevenueCents");
	}

	@Test
	void rejectsAMissingDayAndDifferentTotals() {
		assertThatIllegalStateException()
			.isThrownBy(() -> SameRows.check(TALLY, POSTGRAPHILE.replaceFirst(",\\s*\\{\"day\":\"2026-09-10\"[^}]*}", "")))
			.withMessageContaining("1 days, Tally 2");
		assertThatIllegalStateException()
			.isThrownBy(() -> SameRows.check(TALLY, POSTGRAPHILE.replace("\"conversionRatePercent\":69.44",
					"\"conversionRatePercent\":69.45")))
			.withMessageContaining("totals conversionRatePercent");
	}

	@Test
	void rejectsAnAnswerWithoutData() {
		assertThatIllegalStateException()
			.isThrownBy(() -> SameRows.check(TALLY, "{\"errors\":[{\"message\":\"invalid token\"}]}"))
			.withMessageContaining("No data");
	}

}
