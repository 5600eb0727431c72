package io.tally.query;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;

import io.tally.catalog.ReportArgument;
import io.tally.catalog.ReportDefinition;
import io.tally.graphql.BadRequestException;
import io.tally.tenancy.TenantDirectory;

import org.springframework.stereotype.Component;

/**
 * Applies the rules every report shares to its arguments, before anything is queried:
 * {@code from}/{@code to} are tenant-local dates defaulting to the last 90 days, at most 366 days
 * apart; a {@code year} lies in 2000..2100; a connection's {@code first} is at most 500. Each
 * value is converted to the type its SQL uses it as, so a bad value is the caller's error, named,
 * and never a failed query.
 */
@Component
class ReportArguments {

	private static final String FROM = "from";

	private static final String TO = "to";

	private static final String YEAR = "year";

	private static final int MIN_YEAR = 2000;

	private static final int MAX_YEAR = 2100;

	private final QueryProperties properties;

	private final TenantDirectory tenants;

	private final Clock clock;

	ReportArguments(QueryProperties properties, TenantDirectory tenants, Clock clock) {
		this.properties = properties;
		this.tenants = tenants;
		this.clock = clock;
	}

	ResolvedArguments resolve(ReportDefinition report, Map<String, Object> arguments, String tenant) {
		// Also proves the tenant exists, before anything is read for it.
		ZoneId zone = this.tenants.zoneOf(tenant);
		Map<String, Object> parameters = new TreeMap<>();
		for (ReportArgument argument : report.arguments()) {
			Object value = arguments.get(argument.name());
			parameters.put(argument.parameter(), convert(argument.name(), value,
					report.parameterTypes().get(argument.parameter())));
		}
		if (hasDateRange(report)) {
			resolveRange(parameters, zone);
		}
		if (parameters.get(YEAR) instanceof Integer year) {
			checkYear(YEAR, year);
		}
		ResolvedArguments.Page page = report.connection() ? page(report, arguments) : null;
		return new ResolvedArguments(parameters, page);
	}

	/**
	 * Whether an answer reads the history part of a split view: its range starts before the recent
	 * window as of the tenant's today. The history's own edge is that day or earlier (it moves
	 * when the history is refreshed), so this may say history for a range the recent part alone
	 * serves, which only makes the answer look older, never fresher, than it is.
	 */
	boolean touchesHistory(ReportDefinition report, ResolvedArguments resolved, String tenant) {
		if (report.split() == null) {
			return false;
		}
		if (!(resolved.parameters().get(FROM) instanceof LocalDate from)) {
			return true;
		}
		LocalDate today = LocalDate.now(this.clock.withZone(this.tenants.zoneOf(tenant)));
		return from.isBefore(today.minusDays(report.split().recentDays() - 1));
	}

	private void resolveRange(Map<String, Object> parameters, ZoneId zone) {
		LocalDate to = (LocalDate) parameters.get(TO);
		LocalDate from = (LocalDate) parameters.get(FROM);
		if (to == null) {
			to = LocalDate.now(this.clock.withZone(zone));
		}
		if (from == null) {
			from = to.minusDays(this.properties.defaultRangeDays() - 1L);
		}
		checkYear(FROM, from.getYear());
		checkYear(TO, to.getYear());
		if (from.isAfter(to)) {
			throw new BadRequestException("Argument 'from' (" + from + ") is after 'to' (" + to + ")");
		}
		long days = ChronoUnit.DAYS.between(from, to) + 1;
		if (days > this.properties.maxRangeDays()) {
			throw new BadRequestException("Argument 'from' (" + from + ") is " + days + " days before 'to' (" + to
					+ ") counting both; a range covers at most " + this.properties.maxRangeDays() + " days");
		}
		parameters.put(FROM, from);
		parameters.put(TO, to);
	}

	private ResolvedArguments.Page page(ReportDefinition report, Map<String, Object> arguments) {
		Object requested = arguments.get(ReportDefinition.FIRST);
		int first = (requested != null) ? (Integer) requested : this.properties.defaultPageSize();
		if (first < 1 || first > this.properties.maxPageSize()) {
			throw new BadRequestException("Argument 'first' must be between 1 and " + this.properties.maxPageSize()
					+ ", not " + first);
		}
		String cursor = (String) arguments.get(ReportDefinition.AFTER);
		if (cursor == null) {
			return new ResolvedArguments.Page(first, null);
		}
		try {
			return new ResolvedArguments.Page(first, convert(ReportDefinition.AFTER, Cursors.decode(cursor),
					report.parameterTypes().get(ReportDefinition.AFTER_PARAMETER)));
		}
		catch (BadRequestException ex) {
			throw new BadRequestException("Argument 'after' is not a cursor this connection returned");
		}
	}

	private static boolean hasDateRange(ReportDefinition report) {
		return report.arguments().stream().anyMatch(a -> a.name().equals(FROM) && a.graphQlType().equals("Date"))
				&& report.arguments().stream().anyMatch(a -> a.name().equals(TO) && a.graphQlType().equals("Date"));
	}

	private static void checkYear(String argument, int year) {
		if (year < MIN_YEAR || year > MAX_YEAR) {
			throw new BadRequestException("Argument '" + argument + "' must be in the years " + MIN_YEAR + " to "
					+ MAX_YEAR + ", not " + year);
		}
	}

	/** Converts a GraphQL value to the type PostgreSQL described for its parameter. */
	static Object convert(String argument, Object value, String postgresType) {
		if (value == null || postgresType == null) {
			return value;
		}
		try {
			return switch (postgresType) {
				case "int8" -> Long.valueOf(value.toString().trim());
				case "int4", "int2" -> Integer.valueOf(value.toString().trim());
				case "text", "varchar" -> value.toString();
				default -> value;
			};
		}
		catch (NumberFormatException ex) {
			throw new BadRequestException("Argument '" + argument + "' must be a whole number, not '" + value + "'");
		}
	}

}
