package io.tally.cache;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

/**
 * Estimates of how many heap bytes a cached value keeps alive, for weighing cache entries. Sizes
 * are those of a 64-bit JVM with compressed references (any heap under 32 GB): 12-byte object
 * headers, 4-byte references, objects padded to 8 bytes. Map keys that are strings are taken as
 * names shared with the report catalog (column and parameter names) and not counted; small boxed
 * integers and booleans are shared by the JVM and not counted either. Measured against the heap in
 * {@code HeapEstimateTests}.
 */
public final class HeapEstimate {

	/** An object's header. */
	static final int HEADER = 12;

	/** A reference. */
	static final int REFERENCE = 4;

	/** An array's header, length included. */
	static final int ARRAY = 16;

	/** What an unknown value is taken to weigh. */
	private static final int UNKNOWN = 32;

	private HeapEstimate() {
	}

	/** Rounds up to the 8-byte alignment of objects. */
	public static long align(long bytes) {
		return (bytes + 7) & ~7L;
	}

	/** A string and its bytes (Latin-1 when every char fits, else UTF-16). */
	public static long string(String text) {
		if (text == null) {
			return 0;
		}
		boolean latin1 = text.chars().allMatch(c -> c < 256);
		return 24 + align(ARRAY + (long) text.length() * (latin1 ? 1 : 2));
	}

	/** A byte array. */
	public static long bytes(int length) {
		return align(ARRAY + length);
	}

	/** A value as read from a view or sent as a variable: maps, lists, strings, numbers and times. */
	public static long of(Object value) {
		if (value == null || value instanceof Boolean || value instanceof Enum<?>) {
			return 0;
		}
		if (value instanceof String text) {
			return string(text);
		}
		if (value instanceof Long number) {
			return (number >= -128 && number <= 127) ? 0 : 24;
		}
		if (value instanceof Integer number) {
			return (number >= -128 && number <= 127) ? 0 : 16;
		}
		if (value instanceof Short || value instanceof Byte || value instanceof Character || value instanceof Float) {
			return 16;
		}
		if (value instanceof Double) {
			return 24;
		}
		if (value instanceof BigDecimal decimal) {
			// The unscaled value lives in a long field when it fits, else in a BigInteger.
			return 40 + ((decimal.precision() > 18) ? of(decimal.unscaledValue()) : 0);
		}
		if (value instanceof BigInteger integer) {
			return 40 + align(ARRAY + 4L * (integer.bitLength() / 32 + 1));
		}
		if (value instanceof LocalDate || value instanceof LocalTime || value instanceof Instant) {
			return 24;
		}
		if (value instanceof LocalDateTime) {
			return 24 + 24 + 24;
		}
		if (value instanceof OffsetDateTime || value instanceof ZonedDateTime) {
			// The offset or zone is shared; the local date-time, date and time are its own.
			return 24 + 72;
		}
		if (value instanceof UUID) {
			return 32;
		}
		if (value instanceof Map<?, ?> map) {
			return map(map);
		}
		if (value instanceof Collection<?> collection) {
			long bytes = 24 + align(ARRAY + (long) REFERENCE * slots(collection));
			for (Object element : collection) {
				bytes += of(element);
			}
			return bytes;
		}
		return UNKNOWN;
	}

	/** An array list's capacity as it grows from ten by halves; any other collection's size. */
	private static long slots(Collection<?> collection) {
		if (!(collection instanceof ArrayList<?>)) {
			return collection.size();
		}
		long capacity = 10;
		while (capacity < collection.size()) {
			capacity += capacity >> 1;
		}
		return capacity;
	}

	/** A map and what it holds, map keys that are strings aside. */
	private static long map(Map<?, ?> map) {
		int size = map.size();
		// Map.of: keys and values side by side in one probe table twice their number.
		long bytes = map.getClass().getName().startsWith("java.util.ImmutableCollections")
				? 24 + align(ARRAY + 4L * REFERENCE * size) : hashMap(size);
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			if (!(entry.getKey() instanceof String)) {
				bytes += of(entry.getKey());
			}
			bytes += of(entry.getValue());
		}
		return bytes;
	}

	/**
	 * A hash map: the map, its table (16 slots, doubled while more than three quarters full) and an
	 * entry per mapping, taken at the size of a LinkedHashMap's linked entries.
	 */
	private static long hashMap(int size) {
		long slots = 16;
		while (size > slots * 3 / 4) {
			slots *= 2;
		}
		return 56 + align(ARRAY + REFERENCE * slots) + 40L * size;
	}

}
