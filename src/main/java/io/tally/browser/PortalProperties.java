package io.tally.browser;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The example customer portal (examples/portal), a page that shows what a front end built on
 * Tally looks like.
 *
 * @param enabled Whether {@code /portal/} serves the example portal; null serves it only in the
 * demo (no {@code spring.datasource.url}), never in a production deployment unless set to true
 */
@ConfigurationProperties("tally.portal")
public record PortalProperties(Boolean enabled) {

	boolean servedWith(boolean demo) {
		return (this.enabled != null) ? this.enabled : demo;
	}

}
