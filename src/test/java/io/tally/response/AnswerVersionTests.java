package io.tally.response;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.tally.catalog.ArgumentRules;
import io.tally.catalog.ReportDefinition;
import io.tally.freshness.ViewStatus;
import io.tally.replica.LedgerCopy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An answer's version: one generation per report, matched against a ledger copy, restricted to the
 * reports a document reads, and described in one order whatever order the reports were read in.
 */
class AnswerVersionTests {

	private static final ReportDefinition REVENUE = report("dailyRevenue", "daily_revenue");

	private static final ReportDefinition PLANS = report("planUsage", "plan_usage");

	@Test
	void hasNoVersionWhenOneReportWasReadUnderTwoGenerations() {
		assertThat(AnswerVersion.of(List.of(read(REVENUE, 3), read(PLANS, 7), read(REVENUE, 4)))).isEmpty();
		assertThat(AnswerVersion.of(List.of())).isEmpty();
		assertThat(AnswerVersion.of(List.of(read(REVENUE, 3), read(REVENUE, 3)))).isPresent();
	}

	@Test
	void isHeldByACopyOnlyWhileEveryReportIsAtItsGeneration() {
		AnswerVersion version = AnswerVersion.of(List.of(read(REVENUE, 3), read(PLANS, 7))).orElseThrow();
		assertThat(version.heldBy(copy(3, 7))).isTrue();
		assertThat(version.heldBy(copy(4, 7))).isFalse();
		assertThat(version.heldBy(copy(3, 6))).isFalse();
		assertThat(AnswerVersion.heldBy(copy(3, 7), List.of(PLANS, REVENUE)).generations())
			.isEqualTo(version.generations());
	}

	@Test
	void describesItselfInOneOrderAndOverTheReportsAsked() {
		AnswerVersion one = AnswerVersion.of(List.of(read(REVENUE, 3), read(PLANS, 7))).orElseThrow();
		AnswerVersion other = AnswerVersion.of(List.of(read(PLANS, 7), read(REVENUE, 3))).orElseThrow();
		assertThat(one.generations()).containsExactly("daily_revenue@3", "plan_usage@7")
			.isEqualTo(other.generations());
		assertThat(one.over(List.of(REVENUE)).orElseThrow().generations()).containsExactly("daily_revenue@3");
		assertThat(AnswerVersion.of(List.of(read(REVENUE, 3))).orElseThrow().over(List.of(REVENUE, PLANS))).isEmpty();
	}

	private static AnswerVersion.Read read(ReportDefinition report, long generation) {
		return new AnswerVersion.Read(report, status(report.view(), generation));
	}

	private static LedgerCopy copy(long revenue, long plans) {
		return new LedgerCopy("primary", Map.of("daily_revenue", status("daily_revenue", revenue), "plan_usage",
				status("plan_usage", plans)));
	}

	private static ViewStatus status(String view, long generation) {
		return new ViewStatus(view, generation, Instant.parse("2026-12-07T12:00:00Z"), null);
	}

	private static ReportDefinition report(String field, String view) {
		return new ReportDefinition(field, view, Duration.ofMinutes(5), Duration.ofMinutes(10), null, List.of(),
				List.of(), Map.of(), false, ArgumentRules.NONE, null);
	}

}
