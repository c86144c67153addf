/*
 * Rule analytics page. Plain browser script (no build step), served from our own origin under a
 * strict CSP. The admin token comes from the form or a #token= fragment (fragments never reach the
 * server or a Referer), lives only in sessionStorage for this tab, and travels only in the
 * Authorization header. All data is written with textContent or drawn by Chart.js, never as HTML,
 * because override reason displays are free text sent by the EHR.
 */
(function () {
  'use strict';

  var TOKEN_KEY = 'imaging-cds.analytics-token';
  var COLORS = { accepted: '#009E73', overridden: '#D55E00', ignored: '#A0A7B0', line: ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'] };
  var charts = {};
  var $ = function (id) { return document.getElementById(id); };

  if (window.Chart) {
    // Static charts read better in a committee meeting (and screenshot deterministically).
    window.Chart.defaults.animation = false;
    window.Chart.defaults.font.size = 13;
    window.Chart.defaults.color = '#1d2733';
  }

  function isoDay(d) { return d.toISOString().slice(0, 10); }

  function setStatus(text, isError) {
    var el = $('status');
    el.textContent = text;
    el.className = isError ? 'error' : '';
  }

  function readFragment() {
    if (!location.hash || location.hash.length < 2) return;
    var params = new URLSearchParams(location.hash.slice(1));
    var token = params.get('token');
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    ['from', 'to', 'period'].forEach(function (k) { if (params.get(k)) $(k).value = params.get(k); });
    // Drop the fragment so the token does not linger in the address bar or history.
    history.replaceState(null, '', location.pathname + location.search);
  }

  function pct(x) { return (Math.round(x * 1000) / 10).toFixed(1) + '%'; }

  function cell(row, text, cls, col) {
    var td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    if (col) td.setAttribute('data-col', col);
    row.appendChild(td);
    return td;
  }

  function fillTable(id, rows, columns, emptyText) {
    var body = $(id).querySelector('tbody');
    body.replaceChildren();
    if (rows.length === 0) {
      var tr = document.createElement('tr');
      var td = cell(tr, emptyText, 'empty');
      td.colSpan = columns;
      body.appendChild(tr);
      return body;
    }
    return body;
  }

  /** Sums the per-period rows into one total per rule. */
  function totalsByRule(rows) {
    var byRule = new Map();
    rows.forEach(function (r) {
      var t = byRule.get(r.rule);
      if (!t) {
        t = { rule: r.rule, shown: 0, accepted: 0, overridden: 0, ignored: 0, reasons: new Map(), changes: new Map() };
        byRule.set(r.rule, t);
      }
      t.shown += r.shown; t.accepted += r.accepted; t.overridden += r.overridden; t.ignored += r.ignored;
      r.topOverrideReasons.forEach(function (x) {
        var key = (x.system || '') + '|' + x.code;
        var prev = t.reasons.get(key);
        if (prev) prev.count += x.count; else t.reasons.set(key, { code: x.code, display: x.display, count: x.count });
      });
      r.changedOrders.forEach(function (x) {
        var key = (x.fromCode || '') + '>' + (x.toCode || '');
        var prev = t.changes.get(key);
        if (prev) prev.count += x.count; else t.changes.set(key, { fromCode: x.fromCode, toCode: x.toCode, count: x.count });
      });
    });
    return Array.from(byRule.values())
      .map(function (t) { t.rate = t.shown === 0 ? 0 : t.overridden / t.shown; return t; })
      .sort(function (a, b) { return b.shown - a.shown || a.rule.localeCompare(b.rule); });
  }

  function replaceChart(id, config) {
    if (charts[id]) charts[id].destroy();
    charts[id] = new window.Chart($(id), config);
  }

  function renderSummary(totals) {
    var sum = totals.reduce(function (a, t) {
      a.shown += t.shown; a.accepted += t.accepted; a.overridden += t.overridden; a.ignored += t.ignored; return a;
    }, { shown: 0, accepted: 0, overridden: 0, ignored: 0 });
    var el = $('summary');
    el.replaceChildren();
    [['Cards shown', String(sum.shown)], ['Accepted', String(sum.accepted)], ['Overridden', String(sum.overridden)],
     ['No response', String(sum.ignored)], ['Override rate', sum.shown ? pct(sum.overridden / sum.shown) : '–']]
      .forEach(function (pair) {
        var box = document.createElement('div'); box.className = 'stat';
        var v = document.createElement('div'); v.className = 'value'; v.textContent = pair[1];
        var l = document.createElement('div'); l.className = 'label'; l.textContent = pair[0];
        box.append(v, l); el.appendChild(box);
      });
  }

  function render(data) {
    var totals = totalsByRule(data.rules);
    var labels = totals.map(function (t) { return t.rule; });
    renderSummary(totals);

    replaceChart('outcomes-chart', {
      type: 'bar',
      data: {
        labels: labels,
        datasets: [
          { label: 'Accepted', data: totals.map(function (t) { return t.accepted; }), backgroundColor: COLORS.accepted },
          { label: 'Overridden', data: totals.map(function (t) { return t.overridden; }), backgroundColor: COLORS.overridden },
          { label: 'No response', data: totals.map(function (t) { return t.ignored; }), backgroundColor: COLORS.ignored },
        ],
      },
      options: {
        indexAxis: 'y', maintainAspectRatio: false,
        scales: { x: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'Cards' } }, y: { stacked: true } },
        plugins: { legend: { position: 'bottom' } },
      },
    });

    replaceChart('rate-chart', {
      type: 'bar',
      data: { labels: labels, datasets: [{ label: 'Override rate', data: totals.map(function (t) { return Math.round(t.rate * 1000) / 10; }), backgroundColor: COLORS.overridden }] },
      options: {
        indexAxis: 'y', maintainAspectRatio: false,
        scales: { x: { min: 0, max: 100, ticks: { callback: function (v) { return v + '%'; } } } },
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (c) { return c.parsed.x + '%'; } } } },
      },
    });

    // The server lists every period of the range, so weeks without cards show as gaps, not as a
    // line drawn straight across them.
    var periods = data.periods;
    replaceChart('trend-chart', {
      type: 'line',
      data: {
        labels: periods,
        datasets: labels.map(function (rule, i) {
          var color = COLORS.line[i % COLORS.line.length];
          return {
            label: rule, borderColor: color, backgroundColor: color, spanGaps: false, tension: 0, pointRadius: 4,
            data: periods.map(function (p) {
              var r = data.rules.find(function (x) { return x.rule === rule && x.period === p; });
              return r && r.shown ? Math.round(r.overrideRate * 1000) / 10 : null;
            }),
          };
        }),
      },
      options: {
        maintainAspectRatio: false,
        scales: { y: { min: 0, max: 100, ticks: { callback: function (v) { return v + '%'; } }, title: { display: true, text: 'Override rate' } } },
        plugins: { legend: { position: 'bottom' } },
      },
    });

    var body = fillTable('totals', totals, 6, 'No cards were shown in this range.');
    totals.forEach(function (t) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-rule', t.rule);
      cell(tr, t.rule, '', 'rule');
      cell(tr, String(t.shown), 'num', 'shown');
      cell(tr, String(t.accepted), 'num', 'accepted');
      cell(tr, String(t.overridden), 'num', 'overridden');
      cell(tr, String(t.ignored), 'num', 'ignored');
      cell(tr, pct(t.rate), 'num', 'override-rate');
      body.appendChild(tr);
    });

    var reasons = [];
    totals.forEach(function (t) {
      Array.from(t.reasons.values()).sort(function (a, b) { return b.count - a.count; }).slice(0, 5)
        .forEach(function (r) { reasons.push({ rule: t.rule, r: r }); });
    });
    body = fillTable('reasons', reasons, 4, 'No override reasons recorded.');
    reasons.forEach(function (x) {
      var tr = document.createElement('tr');
      cell(tr, x.rule); cell(tr, x.r.display || x.r.code); cell(tr, x.r.code); cell(tr, String(x.r.count), 'num');
      body.appendChild(tr);
    });

    var changes = [];
    totals.forEach(function (t) { t.changes.forEach(function (c) { changes.push({ rule: t.rule, c: c }); }); });
    body = fillTable('changes', changes, 4, 'No accepted suggestion changed an order.');
    changes.forEach(function (x) {
      var tr = document.createElement('tr');
      cell(tr, x.rule); cell(tr, x.c.fromCode || '(new order)'); cell(tr, x.c.toCode || '(cancelled)'); cell(tr, String(x.c.count), 'num');
      body.appendChild(tr);
    });

    $('report').hidden = false;
    document.body.setAttribute('data-state', 'loaded');
  }

  function load() {
    var typed = $('token').value.trim();
    if (typed) { sessionStorage.setItem(TOKEN_KEY, typed); $('token').value = ''; }
    var token = sessionStorage.getItem(TOKEN_KEY);
    if (!token) { setStatus('Enter the analytics admin token.', true); return; }
    var q = new URLSearchParams({ from: $('from').value, to: $('to').value, period: $('period').value });
    document.body.setAttribute('data-state', 'loading');
    setStatus('Loading…');
    fetch('/analytics/rules?' + q.toString(), { headers: { Authorization: 'Bearer ' + token, Accept: 'application/json' }, cache: 'no-store' })
      .then(function (res) {
        return res.json().catch(function () { return null; }).then(function (body) { return { res: res, body: body }; });
      })
      .then(function (x) {
        if (x.res.status === 401) { sessionStorage.removeItem(TOKEN_KEY); throw new Error('The token was not accepted.'); }
        if (x.res.status === 404) throw new Error('Analytics are disabled on this server.');
        if (!x.res.ok) {
          var issue = x.body && x.body.issue && x.body.issue[0];
          throw new Error((issue && issue.diagnostics) || ('Request failed (' + x.res.status + ').'));
        }
        render(x.body);
        setStatus(x.body.from + ' to ' + x.body.to + ', by ' + x.body.period + ' (UTC). ' + x.body.rules.length + ' rule-period rows.');
      })
      .catch(function (err) {
        document.body.setAttribute('data-state', 'error');
        setStatus(err.message, true);
      });
  }

  var today = new Date();
  $('to').value = isoDay(today);
  $('from').value = isoDay(new Date(today.getTime() - 89 * 86400000));
  readFragment();

  $('controls').addEventListener('submit', function (e) { e.preventDefault(); load(); });
  $('forget').addEventListener('click', function () { sessionStorage.removeItem(TOKEN_KEY); setStatus('Token forgotten.'); });
  if (!window.Chart) setStatus('Chart.js failed to load.', true);
  else if (sessionStorage.getItem(TOKEN_KEY)) load();
  else setStatus('Enter the analytics admin token to load the report.');
})();
