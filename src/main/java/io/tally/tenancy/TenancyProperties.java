package io.tally.tenancy;

import jakarta.validation.constraints.NotBlank;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a verified token says which tenants its bearer may read.
 *
 * @param tenantClaim The claim naming the one tenant a token may read
 * @param tenantsClaim The claim listing the tenants a token may read, for partners serving several
 * @param rolesClaim The claim listing the bearer's roles
 * @param adminRole The role that may read any tenant and administer reports
 * @param requiredScope The scope every report read requires
 * @param tenantHeader The HTTP header a caller picks its tenant with
 */
@Validated
@ConfigurationProperties("tally.tenancy")
public record TenancyProperties(@DefaultValue("tenant_id") @NotBlank String tenantClaim,
		@DefaultValue("tenant_ids") @NotBlank String tenantsClaim, @DefaultValue("roles") @NotBlank String rolesClaim,
		@DefaultValue("analytics-admin") @NotBlank String adminRole,
		@DefaultValue("analytics:read") @NotBlank String requiredScope,
		@DefaultValue("X-Tenant-Id") @NotBlank String tenantHeader) {
}
