package io.tally.query;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import io.tally.catalog.ArgumentRules;
import io.tally.catalog.ReportArgument;
import io.tally.catalog.ReportDefinition;
import io.tally.graphql.BadRequestException;

import org.springframework.stereotype.Component;

/**
 * Applies a report's argument rules, declared in its SDL and read by the catalog, before anything
 * is queried: a date range's defaults (ending today in the tenant's zone, as PostgreSQL tells it)
 * and length, year bounds, a connection's page size. This class knows kinds of arguments, never
 * their names: every name comes from the rules. Each value is converted to the type its SQL uses
 * it as, so a bad value is the caller's error, named, and never a failed query.
 */
@Component
class ReportArguments {

	private final QueryProperties properties;

	private final TenantCalendar calendar;

	ReportArguments(QueryProperties properties, TenantCalendar calendar) {
		this.properties = properties;
		this.calendar = calendar;
	}

	ResolvedArguments resolve(ReportDefinition report, Map<String, Object> arguments, String tenant) {
		// Also proves the tenant exists, before anything is read for it.
		LocalDate today = this.calendar.today(tenant);
		ArgumentRules rules = report.rules();
		Map<String, Object> values = new HashMap<>();
		for (ReportArgument argument : report.arguments()) {
			values.put(argument.name(), ArgumentValues.convert(argument.name(), arguments.get(argument.name()),
					report.parameterTypes().get(argument.parameter()), this.properties.maxStringLength()));
		}
		if (rules.dateRange() != null) {
			resolveRange(rules.dateRange(), values, today);
		}
		rules.years().forEach((argument, years) -> checkYears(argument, values.get(argument), years));
		Map<String, Object> parameters = new TreeMap<>();
		report.arguments().forEach(argument -> parameters.put(argument.parameter(), values.get(argument.name())));
		ResolvedArguments.Page page = report.connection() ? page(report, rules.page(), arguments) : null;
		return new ResolvedArguments(parameters, page);
	}

	/**
	 * Whether an answer reads the history part of a split view: its range starts before the recent
	 * window as of the tenant's today (PostgreSQL's). The history's own edge is that day or earlier
	 * (it moves when the history is refreshed), so this may say history for a range the recent part
	 * alone serves, which only makes the answer look older, never fresher, than it is.
	 */
	boolean touchesHistory(ReportDefinition report, ResolvedArguments resolved, String tenant) {
		if (report.split() == null) {
			return false;
		}
		ArgumentRules.DateRange range = report.rules().dateRange();
		if (range == null) {
			return true;
		}
		Object start = report.arguments()
			.stream()
			.filter(argument -> argument.name().equals(range.start()))
			.findFirst()
			.map(argument -> resolved.parameters().get(argument.parameter()))
			.orElse(null);
		if (!(start instanceof LocalDate from)) {
			return true;
		}
		LocalDate today = this.calendar.today(tenant);
		return from.isBefore(today.minusDays(report.split().recentDays() - 1));
	}

	private static void resolveRange(ArgumentRules.DateRange range, Map<String, Object> values, LocalDate today) {
		LocalDate end = (LocalDate) values.get(range.end());
		LocalDate start = (LocalDate) values.get(range.start());
		if (end == null) {
			end = today;
		}
		if (start == null) {
			start = end.minusDays(range.defaultDays() - 1L);
			ArgumentValues.checkDate(range.start(), start);
		}
		if (start.isAfter(end)) {
			throw new BadRequestException("Argument '" + range.start() + "' (" + start + ") is after '" + range.end()
					+ "' (" + end + ")");
		}
		long days = ChronoUnit.DAYS.between(start, end) + 1;
		if (days > range.maxDays()) {
			throw new BadRequestException("Argument '" + range.start() + "' (" + start + ") is " + days + " days before '"
					+ range.end() + "' (" + end + ") counting both; a range covers at most " + range.maxDays() + " days");
		}
		values.put(range.start(), start);
		values.put(range.end(), end);
	}

	private static void checkYears(String argument, Object value, ArgumentRules.Years years) {
		Integer year = (value instanceof LocalDate date) ? Integer.valueOf(date.getYear())
				: (value instanceof Integer integer) ? integer : null;
		if (year != null && !years.contains(year)) {
			throw new BadRequestException("Argument '" + argument + "' must be in the years " + years.min() + " to "
					+ years.max() + ", not " + year);
		}
	}

	private static ResolvedArguments.Page page(ReportDefinition report, ArgumentRules.Page rule,
			Map<String, Object> arguments) {
		Object requested = arguments.get(ReportDefinition.FIRST);
		int first = (requested != null) ? (Integer) requested : rule.defaultSize();
		if (first < 1 || first > rule.maxSize()) {
			throw new BadRequestException("Argument 'first' must be between 1 and " + rule.maxSize() + ", not " + first);
		}
		String cursor = (String) arguments.get(ReportDefinition.AFTER);
		if (cursor == null) {
			return new ResolvedArguments.Page(first, null);
		}
		try {
			return new ResolvedArguments.Page(first, ArgumentValues.convert(ReportDefinition.AFTER, Cursors.decode(cursor),
					report.parameterTypes().get(ReportDefinition.AFTER_PARAMETER), Integer.MAX_VALUE));
		}
		catch (BadRequestException ex) {
			throw new BadRequestException("Argument 'after' is not a cursor this connection returned");
		}
	}

}
