package io.tally.browser;

import java.util.List;

/**
 * Ready-made tokens the example portal may offer at sign-in; only the demo provides any, so a
 * deployment's portal always asks for a pasted token.
 */
public interface SignInTokens {

	List<Token> tokens();

	/**
	 * @param label who the token is for
	 * @param token the signed JWT
	 */
	record Token(String label, String token) {
	}

}
