// graphql-http's own audit of a GraphQL-over-HTTP server, run against a running Tally with a token.
// Prints one JSON line per audit: {"id", "name", "status": "ok" | "warn" | "error", "reason"}.
// Usage: node graphql-http-audit.mjs http://host:port/graphql <token> [tenant]
import { serverAudits } from 'graphql-http';

const [url, token, tenant] = process.argv.slice(2);

function fetchFn(input, init = {}) {
  const headers = new Headers(init.headers);
  headers.set('Authorization', `Bearer ${token}`);
  if (tenant) {
    headers.set('X-Tenant-Id', tenant);
  }
  return fetch(input, { ...init, headers });
}

for (const audit of serverAudits({ url, fetchFn })) {
  const result = await audit.fn();
  console.log(JSON.stringify({ id: audit.id, name: audit.name, status: result.status, reason: result.reason ?? null }));
}
