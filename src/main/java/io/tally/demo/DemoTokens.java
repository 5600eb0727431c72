package io.tally.demo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tally.browser.SignInTokens;

/**
 * The demo's ready-made tokens, one per kind of caller, signed with the demo key when the demo
 * starts: printed at start-up and offered to the example portal's sign-in, in the demo only.
 */
class DemoTokens implements SignInTokens {

	static final Duration LIFETIME = Duration.ofHours(12);

	private static final String SCOPE = "analytics:read";

	private final List<Token> tokens = new ArrayList<>();

	DemoTokens(DemoKeys keys) {
		for (String tenant : List.of("acme-plumbing", "fjord-fitness", "sakura-saas")) {
			this.tokens.add(new Token("Portal user of " + tenant,
					keys.token("portal@" + tenant, Map.of("tenant_id", tenant, "scope", SCOPE), LIFETIME)));
		}
		this.tokens.add(new Token("Partner reading acme-plumbing and fjord-fitness (send X-Tenant-Id)",
				keys.token("partner-integration",
						Map.of("tenant_ids", List.of("acme-plumbing", "fjord-fitness"), "scope", SCOPE), LIFETIME)));
		this.tokens.add(new Token("Admin (any tenant via X-Tenant-Id; tenants, reportStatus, refreshReport)",
				keys.token("admin@tally", Map.of("roles", List.of("analytics-admin"), "scope", SCOPE), LIFETIME)));
	}

	@Override
	public List<Token> tokens() {
		return List.copyOf(this.tokens);
	}

}
