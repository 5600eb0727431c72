package io.tally.tenancy;

/**
 * Who is asking and for which tenant, once the token and the tenant header have been checked.
 *
 * @param subject the token's subject, for audit logs
 * @param tenantId the tenant every report query of this request is scoped to
 * @param admin whether the caller holds the admin role
 */
public record Caller(String subject, String tenantId, boolean admin) {
}
