package io.tally.tenancy;

import java.time.OffsetDateTime;

/**
 * A tenant as admins see it.
 *
 * @param id the tenant's slug, as tokens and the tenant header name it
 * @param name its display name
 * @param timeZone the IANA zone its days, months and weekdays are counted in
 * @param createdAt when it was created
 */
public record Tenant(String id, String name, String timeZone, OffsetDateTime createdAt) {
}
