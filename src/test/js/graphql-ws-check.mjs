// Apollo Client's and urql's WebSocket transport, the graphql-ws client, against a running Tally:
// a query, a subscription that waits for one refresh, a refused token and another tenant's header.
// Each outcome is one JSON line on stdout, read by GraphQlWsClientIntegrationTests.
// Usage: node graphql-ws-check.mjs ws://host:port/graphql <token> <tenant> <other-tenant>
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, tenant, otherTenant] = process.argv.slice(2);

function client(connectionParams) {
  return createClient({ url, webSocketImpl: WebSocket, connectionParams, lazy: true, retryAttempts: 0 });
}

function once(connection, query) {
  return new Promise((resolve, reject) => {
    let result;
    connection.subscribe({ query }, {
      next: (value) => { result = value; },
      error: (error) => reject(error),
      complete: () => resolve(result),
    });
  });
}

function report(name, value) {
  console.log(JSON.stringify({ [name]: value }));
}

function closed(error) {
  // graphql-ws hands a close event to the sink when the server closes the connection.
  return { code: error.code, reason: error.reason };
}

const mine = client({ Authorization: `Bearer ${token}`, 'X-Tenant-Id': tenant });
report('query', await once(mine,
  '{ dailyRevenue(from: "2026-05-01", to: "2026-05-01") { totals { revenueCents } } }'));

await new Promise((resolve, reject) => {
  const stop = mine.subscribe({ query: 'subscription { reportRefreshed(reports: ["dailyRevenue"]) { report } }' }, {
    next: (value) => { report('refreshed', value); stop(); resolve(); },
    error: reject,
    complete: resolve,
  });
  report('subscribed', true);
});
await mine.dispose();

for (const [name, params] of [
  ['refusedToken', { Authorization: 'Bearer not-a-token' }],
  ['otherTenant', { Authorization: `Bearer ${token}`, 'X-Tenant-Id': otherTenant }],
]) {
  const refused = client(params);
  try {
    report(name, { answered: await once(refused, '{ __typename }') });
  }
  catch (error) {
    report(name, closed(error));
  }
  await refused.dispose();
}
process.exit(0);
