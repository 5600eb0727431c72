package io.tally.catalog;

import java.util.Map;
import java.util.Set;

/**
 * The checks and defaults a report's arguments get, declared in its SDL ({@code @dateRange},
 * {@code @years}, {@code @page}) and read by the catalog. They name arguments; the code that
 * applies them knows only the kinds: a range of two dates, a year bound, a page.
 *
 * @param dateRange the field's tenant-local date range, or null
 * @param years the year bounds of an {@code Int} (the year) or {@code Date} (its year) argument,
 * by argument name
 * @param page a connection's page size rule, or null for other reports
 */
public record ArgumentRules(DateRange dateRange, Map<String, Years> years, Page page) {

	/** The SDL directives that declare argument rules: server-side, so a published client schema leaves them out. */
	public static final Set<String> DIRECTIVES = Set.of("dateRange", "years", "page");

	/** No rules: every argument is taken as given. */
	public static final ArgumentRules NONE = new ArgumentRules(null, Map.of(), null);

	/**
	 * Two {@code Date} arguments forming an inclusive range of tenant-local dates.
	 *
	 * @param start the argument holding the first date
	 * @param end the argument holding the last date, which defaults to the tenant's today
	 * @param defaultDays the days the range covers, ending at {@code end}, when {@code start} is left out
	 * @param maxDays the most days the range may cover, both ends counted
	 */
	public record DateRange(String start, String end, int defaultDays, int maxDays) {
	}

	/**
	 * @param min the first allowed year
	 * @param max the last allowed year
	 */
	public record Years(int min, int max) {

		public boolean contains(int year) {
			return year >= this.min && year <= this.max;
		}

	}

	/**
	 * @param defaultSize the page size when {@code first} is left out
	 * @param maxSize the largest {@code first} accepted
	 */
	public record Page(int defaultSize, int maxSize) {
	}

}
