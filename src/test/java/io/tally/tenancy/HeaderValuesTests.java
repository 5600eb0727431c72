package io.tally.tenancy;

import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HeaderValues} allows exactly the header values Spring Security's strict firewall allows by
 * default (its pattern, copied here as the reference), on hand-picked values and on random ones
 * built from ASCII, controls, Latin-1, unassigned code points, lone surrogates and characters beyond
 * the Basic Multilingual Plane, from a fixed seed.
 */
class HeaderValuesTests {

	/** {@code StrictHttpFirewall}'s default for header values. */
	private static final Pattern SPRING_SECURITY = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

	@Test
	void allowsWhatSpringSecurityAllowsOnHandPickedValues() {
		List<String> values = List.of("", "Bearer abc", "a\tb", "a\nb", "a\rb", "\u0000", "\u007f", "\u0085", "\u00a0",
				"é", "\u0378", "\ud83d\ude00", "\ud83d", "\ude00", "x\ud83dx", "\u2028", "\ufeff", "\uffff", "\ue000",
				"application/json; charset=utf-8");
		for (String value : values) {
			assertThat(HeaderValues.allowed(value)).as("%s", value.codePoints().boxed().toList())
				.isEqualTo(SPRING_SECURITY.matcher(value).matches());
		}
	}

	@Test
	void allowsWhatSpringSecurityAllowsOnRandomValues() {
		SplittableRandom random = new SplittableRandom(20261207);
		int[] pool = { 'a', 'Z', ' ', '~', '\t', '\n', '\r', 0, 0x1f, 0x7f, 0x85, 0x9f, 0xa0, 0xe9, 0x378, 0x2028, 0xfeff,
				0xffff, 0xe000, 0xd83d, 0xde00, 0x1f600, 0x10ffff, 0xe0001, 0x30000 };
		for (int round = 0; round < 20_000; round++) {
			StringBuilder value = new StringBuilder();
			int length = random.nextInt(6);
			for (int i = 0; i < length; i++) {
				value.appendCodePoint(pool[random.nextInt(pool.length)]);
			}
			String text = value.toString();
			assertThat(HeaderValues.allowed(text)).as("%s", text.codePoints().boxed().toList())
				.isEqualTo(SPRING_SECURITY.matcher(text).matches());
		}
	}

}
