package io.tally.tenancy;

import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;

/**
 * Where Tally's own servlet filters sit around Spring Security's, whose chain runs at
 * {@link SecurityFilterProperties#DEFAULT_FILTER_ORDER}.
 */
final class SecurityFilterOrder {

	/** Outside Spring Security, so the final status is known. */
	static final int AUDIT = SecurityFilterProperties.DEFAULT_FILTER_ORDER - 20;

	/** Before Spring Security, so an ambiguous request is refused before any header is read. */
	static final int HEADERS = SecurityFilterProperties.DEFAULT_FILTER_ORDER - 10;

	private SecurityFilterOrder() {
	}

}
