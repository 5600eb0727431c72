package io.tally.tenancy;

import java.util.Set;

/**
 * Who sent a request, before any field runs, for limits that apply per tenant: the tenant it
 * reads when the token allows it, its issuer and its roles.
 *
 * @param tenant the tenant the request reads, or null when the token may not read the one asked for
 * @param subject the token's subject
 * @param issuer the token's issuer
 * @param roles the token's roles
 */
public record Requester(String tenant, String subject, String issuer, Set<String> roles) {
}
