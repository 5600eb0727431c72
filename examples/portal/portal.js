// The example portal: sign in, pick a tenant, and watch three reports that update themselves.
(function () {
  'use strict';

  var PAGE_SIZE = 10;
  var LIVE_REPORTS = ['dailyRevenue', 'salesVsTarget', 'customerActivity'];
  var session = null;
  var charts = {};
  var pages = { cursors: [null], index: 0 };
  var unsubscribe = null;

  function $(id) { return document.getElementById(id); }

  function money(cents) {
    return (cents / 100).toLocaleString('en-US', { style: 'currency', currency: 'USD' });
  }

  function text(id, value) { $(id).textContent = value; }

  function freshness(id, f) {
    text(id, f.description);
    $(id).classList.toggle('stale', f.stale);
  }

  function showError(error) {
    text('sign-in-error', error.message);
  }

  // Demo tokens are offered only when the server runs the demo; otherwise a token is pasted.
  function loadDemoTokens() {
    fetch('sign-in-tokens.json').then(function (response) {
      return response.ok ? response.json() : [];
    }).then(function (tokens) {
      if (!tokens.length) { return; }
      var select = $('demo-token');
      tokens.forEach(function (t) {
        var option = document.createElement('option');
        option.value = t.token;
        option.textContent = t.label;
        select.appendChild(option);
      });
      select.hidden = false;
      $('demo-token-label').hidden = false;
    }).catch(function () { /* not the demo */ });
  }

  function signIn() {
    var token = $('pasted-token').value.trim() || $('demo-token').value;
    text('sign-in-error', '');
    if (!token) { showError(new Error('Pick a demo user or paste a token')); return; }
    session = { token: token, tenant: null };
    Tally.query(session, 'viewer').then(function (data) {
      var viewer = data.viewer;
      if (!viewer.tenants.length) { throw new Error('This token may read no tenant'); }
      var select = $('tenant');
      select.innerHTML = '';
      viewer.tenants.forEach(function (t) {
        var option = document.createElement('option');
        option.value = t.id;
        option.textContent = t.name + ' (' + t.timeZone + ')';
        select.appendChild(option);
      });
      session.subject = viewer.subject;
      session.tenants = viewer.tenants;
      $('pasted-token').value = '';
      $('sign-in').hidden = true;
      $('portal').hidden = false;
      chooseTenant(viewer.tenant ? viewer.tenant.id : viewer.tenants[0].id);
    }).catch(function (error) { session = null; showError(error); });
  }

  function signOut() {
    if (unsubscribe) { unsubscribe(); unsubscribe = null; }
    session = null;
    $('portal').hidden = true;
    $('sign-in').hidden = false;
    $('region').innerHTML = '<option value="">All regions</option>';
    text('live', 'connecting…');
  }

  function chooseTenant(tenantId) {
    session.tenant = tenantId;
    $('tenant').value = tenantId;
    var tenant = session.tenants.filter(function (t) { return t.id === tenantId; })[0];
    text('who', 'Signed in as ' + session.subject + ', reading ' + tenant.name + ' (days in ' + tenant.timeZone + ')');
    Tally.query(session, 'regions').then(function (data) {
      var select = $('region');
      select.innerHTML = '<option value="">All regions</option>';
      data.regions.regions.forEach(function (r) {
        var option = document.createElement('option');
        option.value = r.region;
        option.textContent = r.region + ' (' + r.customers + ')';
        select.appendChild(option);
      });
    }).catch(showError);
    pages = { cursors: [null], index: 0 };
    loadAll();
    follow();
  }

  function variables() {
    return { from: $('from').value || null, to: $('to').value || null, region: $('region').value || null };
  }

  function loadAll() {
    loadRevenue();
    loadTargets();
    loadCustomers();
  }

  function loadRevenue() {
    var v = variables();
    return Tally.query(session, 'daily-revenue', v).then(function (data) {
      var report = data.dailyRevenue;
      var t = report.totals;
      text('revenue-totals', money(t.revenueCents) + ' revenue · ' + t.paidOrders + ' paid of ' + t.ordersCreated
        + ' orders · ' + t.conversionRatePercent + '% converted');
      draw('revenue-chart', {
        type: 'bar',
        data: {
          labels: report.days.map(function (d) { return d.day; }),
          datasets: [{ label: 'Revenue (USD)', data: report.days.map(function (d) { return d.revenueCents / 100; }),
            backgroundColor: '#4f6bed' }]
        }
      });
      freshness('revenue-freshness', report.freshness);
    }).catch(showError);
  }

  function loadTargets() {
    var year = Number($('year').value);
    return Tally.query(session, 'sales-vs-target', { year: year }).then(function (data) {
      var report = data.salesVsTarget;
      draw('target-chart', {
        type: 'bar',
        data: {
          labels: report.months.map(function (m) { return new Date(Date.UTC(year, m.month - 1, 1)).toLocaleString('en-US', { month: 'short', timeZone: 'UTC' }); }),
          datasets: [
            { type: 'line', label: 'Target (USD)', data: report.months.map(function (m) { return m.targetCents === null ? null : m.targetCents / 100; }),
              borderColor: '#e0823d', backgroundColor: '#e0823d' },
            { type: 'bar', label: 'Gross sales (USD)', data: report.months.map(function (m) { return m.grossSalesCents / 100; }),
              backgroundColor: '#3fa380' }
          ]
        }
      });
      freshness('target-freshness', report.freshness);
    }).catch(showError);
  }

  function loadCustomers() {
    var v = { region: $('region').value || null, first: PAGE_SIZE, after: pages.cursors[pages.index] };
    return Tally.query(session, 'customer-activity', v).then(function (data) {
      var report = data.customerActivity;
      var body = $('customers').querySelector('tbody');
      body.innerHTML = '';
      report.edges.forEach(function (edge) {
        var n = edge.node;
        var row = document.createElement('tr');
        [n.revenueRank, n.name, n.region, n.paidOrders, money(n.lifetimeRevenueCents),
          n.lastOrderAt ? n.lastOrderAt.slice(0, 10) : '—'].forEach(function (value) {
          var cell = document.createElement('td');
          cell.textContent = value;
          row.appendChild(cell);
        });
        body.appendChild(row);
      });
      pages.cursors[pages.index + 1] = report.pageInfo.endCursor;
      $('next-page').disabled = !report.pageInfo.hasNextPage;
      $('previous-page').disabled = pages.index === 0;
      freshness('customers-freshness', report.freshness);
    }).catch(showError);
  }

  function draw(id, config) {
    config.options = { responsive: true, maintainAspectRatio: false, animation: false };
    if (charts[id]) {
      charts[id].data = config.data;
      charts[id].update();
    } else {
      charts[id] = new Chart($(id), config);
    }
  }

  // One live subscription per signed-in tenant: each refresh reloads the report it names.
  function follow() {
    if (unsubscribe) { unsubscribe(); }
    var reload = { dailyRevenue: loadRevenue, salesVsTarget: loadTargets, customerActivity: loadCustomers };
    $('live').classList.add('on');
    text('live', '● live');
    unsubscribe = Tally.subscribe(session, 'report-refreshed', { reports: LIVE_REPORTS }, function (event) {
      if (event.data && event.data.reportRefreshed) {
        reload[event.data.reportRefreshed.report]();
      }
    }, function (error) {
      $('live').classList.remove('on');
      text('live', error ? 'live updates stopped: ' + error.message : 'live updates ended (token expired)');
    });
  }

  function init() {
    var year = new Date().getFullYear();
    for (var y = year; y > year - 3; y--) {
      var option = document.createElement('option');
      option.value = String(y);
      option.textContent = String(y);
      $('year').appendChild(option);
    }
    $('sign-in-button').addEventListener('click', signIn);
    $('sign-out').addEventListener('click', signOut);
    $('tenant').addEventListener('change', function () { chooseTenant($('tenant').value); });
    $('apply').addEventListener('click', function () { pages = { cursors: [null], index: 0 }; loadAll(); });
    $('region').addEventListener('change', function () { pages = { cursors: [null], index: 0 }; loadRevenue(); loadCustomers(); });
    $('year').addEventListener('change', loadTargets);
    $('next-page').addEventListener('click', function () { pages.index++; loadCustomers(); });
    $('previous-page').addEventListener('click', function () { pages.index--; loadCustomers(); });
    loadDemoTokens();
  }

  init();
}());
