package io.tally.tenancy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BearerTokenHeader} gives Spring Security's {@link DefaultBearerTokenResolver}'s answer (the
 * token, nothing, or a malformed-token refusal with the same error) on hand-picked headers and on
 * random ones built from the characters that matter, from a fixed seed.
 */
class BearerTokenHeaderTests {

	private final BearerTokenResolver ours = new BearerTokenHeader();

	private final BearerTokenResolver spring = new DefaultBearerTokenResolver();

	@Test
	void answersAsSpringSecurityOnHandPickedHeaders() {
		List<String> headers = List.of("Bearer abc.def-ghi_jkl~mno+pqr/stu==", "bearer abc", "BEARER abc", "bEaReR abc",
				"Bearer", "Bearer ", "Bearer  abc", "Bearer abc ", "Bearer abc\n", "Bearer abc=def", "Bearer =",
				"Bearer abc==x", "Bearer a b", "Bearer\tabc", "Bearerabc", "Basic dXNlcjpwYXNz", "Token abc", "",
				"bearer", "Bearer ä", "Bearer abc\u0000", "Bearer %41", "Bearer a,b", "Bearer ab\"c", "Bearer ab:c",
				"Bearer ab==", "Bearer ab=", "  Bearer abc", "Bearers abc", "Bearer ab\u212Ac");
		for (String header : headers) {
			assertSameAnswer(header);
		}
		assertSameAnswer(null);
	}

	@Test
	void answersAsSpringSecurityOnRandomHeaders() {
		SplittableRandom random = new SplittableRandom(20261207);
		String alphabet = "aZ09-._~+/= \t\n,;:\"%äſK\u212A\u0000bB";
		List<String> prefixes = List.of("Bearer ", "bearer ", "BEARER ", "Bearer", "Bearer  ", "Basic ", "", "Bear ");
		for (int round = 0; round < 20_000; round++) {
			StringBuilder header = new StringBuilder(prefixes.get(random.nextInt(prefixes.size())));
			int length = random.nextInt(12);
			for (int i = 0; i < length; i++) {
				header.append(alphabet.charAt(random.nextInt(alphabet.length())));
			}
			assertSameAnswer(header.toString());
		}
	}

	private void assertSameAnswer(String header) {
		assertThat(answer(this.ours, header)).as("Authorization: %s", header).isEqualTo(answer(this.spring, header));
	}

	/** The token, "none", or the refusal's error code and description. */
	private static String answer(BearerTokenResolver resolver, String header) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/graphql");
		if (header != null) {
			request.addHeader("Authorization", header);
		}
		try {
			String token = resolver.resolve(request);
			return (token != null) ? "token " + token : "none";
		}
		catch (OAuth2AuthenticationException ex) {
			return "refused " + ex.getError().getErrorCode() + " " + ex.getError().getDescription();
		}
	}

}
