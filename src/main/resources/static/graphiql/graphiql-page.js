// Tally's GraphiQL: everything comes from this server (no CDN), headers live only in this tab.
// In the demo it offers the demo users, as the portal does, and sends nothing before a token is set.
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

  var BEARER = /^Bearer [A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

  // GraphiQL would otherwise remember pasted tokens; nothing of a session should outlive the tab.
  var memory = {};
  var storage = {
    getItem: function (key) { return Object.prototype.hasOwnProperty.call(memory, key) ? memory[key] : null; },
    setItem: function (key, value) { memory[key] = String(value); },
    removeItem: function (key) { delete memory[key]; },
    clear: function () { memory = {}; },
    get length() { return Object.keys(memory).length; }
  };

  var httpFetcher = GraphiQL.createFetcher({ url: window.location.origin + '/graphql' });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  var headers = HEADER_TEMPLATE;
  var fetcher = httpFetcher;

  function render() {
    root.render(React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: EXAMPLE_QUERY,
      headers: headers,
      shouldPersistHeaders: false,
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: 'headers',
      storage: storage
    }));
  }

  // Demo only: a request (the schema's included) waits for a real token instead of failing with 401.
  function guardedFetcher() {
    return function (params, options) {
      var sent = (options && options.headers) || {};
      var authorization = sent.Authorization || sent.authorization || '';
      if (!BEARER.test(authorization)) {
        return Promise.resolve({ errors: [{ message: 'No token yet: pick a demo user above, or paste a token into Headers' }] });
      }
      return httpFetcher(params, options);
    };
  }

  function claims(token) {
    var part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part + '==='.slice((part.length + 3) % 4)));
  }

  // A single-tenant token needs no tenant header; a partner or an admin picks a tenant with it.
  function headersFor(token) {
    var chosen = { Authorization: 'Bearer ' + token };
    var payload = claims(token);
    if (!payload.tenant_id) {
      chosen['X-Tenant-Id'] = (payload.tenant_ids && payload.tenant_ids[0]) || 'acme-plumbing';
    }
    return JSON.stringify(chosen, null, 2);
  }

  function offer(tokens) {
    var picker = document.getElementById('demo-user');
    tokens.forEach(function (t) {
      var option = document.createElement('option');
      option.value = t.token;
      option.textContent = t.label;
      picker.appendChild(option);
    });
    picker.addEventListener('change', function () {
      if (!picker.value) { return; }
      headers = headersFor(picker.value);
      // A new fetcher makes GraphiQL load the schema again, with the new token.
      fetcher = guardedFetcher();
      render();
    });
    document.getElementById('demo-users').hidden = false;
  }

  fetch('/graphiql/sign-in-tokens.json').then(function (response) {
    return response.ok ? response.json() : [];
  }).catch(function () { return []; }).then(function (tokens) {
    if (tokens.length) {
      fetcher = guardedFetcher();
      offer(tokens);
    }
    render();
  });
}());
