package io.tally.tenancy;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * What the verified token and the tenant header decide about a request, taken once right after
 * authentication: who asks, what it may do, and which tenant it reads, or why it may not read one.
 * A refusal is kept rather than thrown, because only a report field needs a tenant ({@code viewer}
 * and {@code __typename} do not); it is raised, and written to the audit log once, when one is read.
 */
public final class CallerDecision {

	private final String subject;

	private final String issuer;

	private final Set<String> roles;

	private final boolean admin;

	private final boolean trustedDocumentsOnly;

	private final Instant tokenExpiry;

	private final String requestedTenant;

	private final Caller caller;

	private final RuntimeException refusal;

	private final Runnable auditRefusal;

	private final AtomicBoolean audited = new AtomicBoolean();

	private final Predicate<String> mayRead;

	CallerDecision(TenantAuthentication token, Set<String> roles, boolean admin, String requestedTenant, Caller caller,
			RuntimeException refusal, Runnable auditRefusal, Predicate<String> mayRead) {
		this.subject = token.getName();
		this.issuer = token.issuer();
		this.roles = roles;
		this.admin = admin;
		this.trustedDocumentsOnly = token.trustedDocumentsOnly();
		Instant expiresAt = token.getToken().getExpiresAt();
		this.tokenExpiry = (expiresAt != null) ? expiresAt : Instant.MAX;
		this.requestedTenant = requestedTenant;
		this.caller = caller;
		this.refusal = refusal;
		this.auditRefusal = auditRefusal;
		this.mayRead = mayRead;
	}

	/**
	 * The caller with its tenant, for a report read.
	 * @throws RuntimeException the refusal (forbidden tenant, missing scope, no tenant chosen)
	 */
	public Caller caller() {
		if (this.caller == null) {
			if (this.audited.compareAndSet(false, true)) {
				this.auditRefusal.run();
			}
			throw this.refusal;
		}
		return this.caller;
	}

	/** The caller when its tenant is settled, else null; nothing is refused or logged. */
	public Caller settledCaller() {
		return this.caller;
	}

	/** The tenant this request reads, or null when it may not read one. */
	public String tenant() {
		return (this.caller != null) ? this.caller.tenantId() : null;
	}

	public String subject() {
		return this.subject;
	}

	public String issuer() {
		return this.issuer;
	}

	/** The token's roles, without the authority prefix. */
	public Set<String> roles() {
		return this.roles;
	}

	public boolean admin() {
		return this.admin;
	}

	/** Whether the token's issuer is held to trusted documents. */
	public boolean trustedDocumentsOnly() {
		return this.trustedDocumentsOnly;
	}

	/** When the token expires; a live subscription or connection ends then. */
	public Instant tokenExpiry() {
		return this.tokenExpiry;
	}

	/** The tenant header as sent (trimmed), or null. */
	public String requestedTenant() {
		return this.requestedTenant;
	}

	/** Whether this token may read the tenant, as the decision above would judge it. */
	public boolean mayRead(String tenant) {
		return this.mayRead.test(tenant);
	}

}
