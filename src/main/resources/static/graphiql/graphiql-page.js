// Tally's GraphiQL: everything comes from this server (no CDN), headers live only in this tab.
(function () {
  'use strict';

  var HEADER_TEMPLATE = JSON.stringify({
    Authorization: 'Bearer <token>',
    'X-Tenant-Id': 'acme-plumbing'
  }, null, 2);

  var EXAMPLE_QUERY = [
    '# Who am I, and which tenants may this token read?',
    'query Example {',
    '  viewer { subject admin tenants { id name timeZone } }',
    '  dailyRevenue(from: "2026-01-01", to: "2026-01-31") {',
    '    totals { ordersCreated paidOrders revenueCents conversionRatePercent }',
    '    freshness { description refreshedAt nextRefreshAt }',
    '  }',
    '}',
    ''
  ].join('\n');

  // GraphiQL would otherwise remember pasted tokens; nothing of a session should outlive the tab.
  var memory = {};
  var storage = {
    getItem: function (key) { return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null; },
    setItem: function (key, value) { memory[key] = String(value); },
    removeItem: function (key) { delete memory[key]; },
    clear: function () { memory = {}; },
    get length() { return Object.keys(memory).length; }
  };

  var fetcher = GraphiQL.createFetcher({ url: window.location.origin + '/graphql' });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: EXAMPLE_QUERY,
    headers: HEADER_TEMPLATE,
    shouldPersistHeaders: false,
    isHeadersEditorEnabled: true,
    defaultEditorToolsVisibility: 'headers',
    storage: storage
  }));
}());
