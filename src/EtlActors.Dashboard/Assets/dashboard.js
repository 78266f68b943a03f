// The dashboard's pages: each fills <main> from the JSON routes, then keeps it current from the node's event stream
// (Server-Sent Events, pushed as the registry records each status). No framework and nothing from outside the node.
(function () {
  'use strict';
  const app = document.getElementById('app');
  const base = app.dataset.base;
  const page = app.dataset.page;
  const jobId = app.dataset.job;
  const mayAct = app.dataset.mayAct === 'true';
  const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

  // ---- helpers ----
  function esc(text) {
    return String(text ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  }
  const num = n => (n === null || n === undefined) ? '–' : fmt.format(n);
  const time = t => t ? new Date(t).toLocaleString('en-GB', { hour12: false }) : '–';
  // A time left as `etl` writes it: "42 s", "3 min 05 s", "1 h 02 min".
  const left = s => s < 60 ? `${Math.floor(s)} s`
    : s < 3600 ? `${Math.floor(s / 60)} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`
    : `${Math.floor(s / 3600)} h ${String(Math.floor(s % 3600 / 60)).padStart(2, '0')} min`;
  const state = s => `<span class="state ${esc(s)}">${esc(s)}</span>`;
  const jobLink = id => `${base}/jobs/${encodeURIComponent(id)}`;

  async function getJson(path) {
    const response = await fetch(base + path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (response.status === 401) { location.reload(); throw new Error('signed out'); }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error || `${response.status} ${response.statusText}`);
    recovered();
    return body;
  }

  /** Runs fn at most once per wait ms, and once more after the last call: a burst of events costs one request. */
  function throttle(fn, wait) {
    let timer = null, again = false;
    return function () {
      if (timer) { again = true; return; }
      fn();
      timer = setTimeout(function tick() {
        if (again) { again = false; fn(); timer = setTimeout(tick, wait); } else timer = null;
      }, wait);
    };
  }

  function chart(points, label) {
    // points: [{at, value}]: a polyline scaled to the largest value. The caption is HTML, not SVG text, which the
    // stretched viewBox would distort.
    if (points.length < 2) return `<p class="muted chart-label">${esc(label)}: waiting for data</p>`;
    const max = Math.max(1, ...points.map(p => p.value));
    const t0 = new Date(points[0].at).getTime(), t1 = new Date(points[points.length - 1].at).getTime();
    const span = Math.max(1, t1 - t0);
    const xy = points.map(p => `${((new Date(p.at).getTime() - t0) / span * 600).toFixed(1)},${(135 - p.value / max * 125).toFixed(1)}`).join(' ');
    const last = points[points.length - 1].value;
    const over = span < 120000 ? `${Math.round(span / 1000)} s` : `${Math.round(span / 60000)} min`;
    return `<p class="muted chart-label">${esc(label)} now <b>${num(last)}</b> · peak ${num(max)} · over ${over}</p>
      <svg class="chart" viewBox="0 0 600 140" preserveAspectRatio="none" role="img" aria-label="${esc(label)}"><polyline points="${xy}"></polyline></svg>`;
  }

  function live(onEvent, onReconnect) {
    const badge = document.getElementById('live');
    const source = new EventSource(base + '/api/events');
    let opened = false;
    source.onopen = () => {
      badge.textContent = 'live'; badge.classList.remove('off');
      if (opened && onReconnect) onReconnect(); // events may have been missed while the stream was down
      opened = true;
    };
    source.onerror = () => { badge.textContent = 'reconnecting'; badge.classList.add('off'); };
    for (const name of ['job', 'members', 'rate'])
      source.addEventListener(name, e => onEvent(name, JSON.parse(e.data)));
  }

  // A request that failed is said in a line above the page, which stays and keeps following the live events; the next
  // request that succeeds clears it. Replacing the page with the error left a page that one unanswered request
  // during a failover (the cluster did not answer in time) had emptied for good, while the job went on to complete.
  function fail(error) {
    let line = document.getElementById('page-error');
    if (!line) {
      line = document.createElement('p');
      line.id = 'page-error'; line.className = 'error'; line.setAttribute('role', 'alert');
      app.prepend(line);
    }
    line.textContent = error.message;
    line.hidden = false;
  }

  function recovered() {
    const line = document.getElementById('page-error');
    if (line) line.hidden = true;
  }

  // A page's first load that fails is asked again, 2, 4, 8 … 30 s apart, until it is answered. Live events fill a page
  // only while its job runs: a page opened during a failover on a job that had ended stayed empty under its error line.
  function untilAnswered(load) {
    let wait = 2000;
    (function attempt() {
      load().catch(error => { fail(error); setTimeout(attempt, wait); wait = Math.min(wait * 2, 30000); });
    })();
  }

  // ---- overview ----
  function overview() {
    let rates = [];
    async function load() {
      const o = await getJson('/api/overview');
      rates = o.rates.map(r => ({ at: r.at, value: r.recordsPerSecond }));
      app.innerHTML = `
        <h1>Cluster</h1>
        <h2>Members</h2>
        <div class="scroll"><table id="members"><thead><tr><th>Address</th><th>Status</th><th>Roles</th><th>Reachable</th><th>Leader</th><th class="num">Running jobs</th></tr></thead>
        <tbody>${o.members.map(m => `<tr data-member="${esc(m.hostPort)}">
          <td>${esc(m.address)}${m.self ? ' <span class="muted">(this node)</span>' : ''}</td><td>${esc(m.status)}</td>
          <td>${esc(m.roles.join(', ') || '–')}</td><td>${m.reachable ? 'yes' : '<b class="error">no</b>'}</td>
          <td>${m.leader ? 'leader' : ''}</td><td class="num">${m.runningJobs}</td></tr>`).join('')}</tbody></table></div>
        <h2>Jobs by state</h2>
        <div class="chips" id="states">${Object.entries(o.states).map(([s, n]) =>
          `<a class="chip" href="${base}/jobs?state=${s}">${state(s)}<b>${n}</b></a>`).join('')}</div>
        <h2>Records per second across the cluster</h2>
        <div id="rate">${chart(rates, 'records/s')}</div>`;
    }
    const reload = throttle(() => load().catch(fail), 1000);
    untilAnswered(load);
    live((name, data) => {
      if (name === 'rate') {
        rates.push({ at: data.at, value: data.recordsPerSecond });
        if (rates.length > 180) rates.shift();
        const el = document.getElementById('rate');
        if (el) el.innerHTML = chart(rates, 'records/s');
      } else reload(); // a member or a job's state changed: the tables are cheap to ask for again
    }, reload);
  }

  // ---- jobs list ----
  function jobs() {
    const params = new URLSearchParams(location.search);
    const filter = { tenant: params.get('tenant') || '', state: params.get('state') || '', q: params.get('q') || '', page: +(params.get('page') || 1) };
    let shown = new Set();
    app.innerHTML = `
      <h1>Jobs</h1>
      <form class="filters" id="filters">
        <select name="tenant" aria-label="tenant"><option value="">all tenants</option></select>
        <select name="state" aria-label="state"><option value="">all states</option>
          ${['Pending', 'Running', 'Paused', 'Completed', 'Failed', 'Cancelled'].map(s => `<option>${s}</option>`).join('')}</select>
        <input name="q" type="search" placeholder="job id" aria-label="search by job id">
        <button type="submit">Filter</button>
      </form>
      <div class="scroll"><table id="jobs"><thead><tr><th>Job</th><th>Tenant</th><th>State</th><th class="hide-narrow">Node</th>
        <th class="num">Processed</th><th class="num">Quarantined</th><th class="num hide-narrow">Records/s</th><th class="hide-narrow">Started</th></tr></thead>
        <tbody></tbody></table></div>
      <div class="pager" id="pager"></div>
      ${mayAct ? `<details id="submit-job" class="card"><summary>Submit a job</summary>
        <form id="submit-form" class="submit">
          <label>Job id <input name="id" placeholder="made from the source when empty"></label>
          <label>Source kind <select name="kind">${['skype', 'slack', 'files', 'http'].map(k => `<option>${k}</option>`).join('')}</select></label>
          <label>Source path <input name="path" required placeholder="a path the nodes can read"></label>
          <label>Tenant <input name="tenant" required></label>
          <label>Sink <input name="sink" placeholder="the cluster's default sink when empty"></label>
          <label>Mapping or config (YAML, for files) <textarea name="mapping" rows="6"></textarea></label>
          <button type="submit" class="primary">Submit</button>
          <p id="submit-error" class="error" role="alert" hidden></p>
        </form></details>` : ''}`;
    if (mayAct) document.getElementById('submit-form').addEventListener('submit', async e => {
      e.preventDefault();
      const f = e.target, error = document.getElementById('submit-error');
      error.hidden = true;
      const body = Object.fromEntries(['id', 'kind', 'path', 'tenant', 'sink', 'mapping'].map(n => [n, f[n].value]));
      try {
        const response = await fetch(`${base}/api/jobs`, { method: 'POST', headers: { 'X-Etl-Dashboard': '1', 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
        const answer = await response.json().catch(() => ({}));
        if (!response.ok) throw new Error(answer.error || `${response.status}`);
        location.href = jobLink(answer.id);
      } catch (err) { error.textContent = err.message; error.hidden = false; }
    });
    const form = document.getElementById('filters');
    form.state.value = filter.state; form.q.value = filter.q;

    function row(j) {
      return `<td><a href="${jobLink(j.id)}">${esc(j.id)}</a></td><td>${esc(j.tenant)}</td><td data-col="state">${state(j.state)}</td>
        <td class="hide-narrow">${esc(j.node || '–')}</td><td class="num" data-col="processed">${num(j.processed)}</td>
        <td class="num" data-col="quarantined">${num(j.quarantined)}</td><td class="num hide-narrow" data-col="rate">${num(j.recordsPerSecond)}</td>
        <td class="hide-narrow">${time(j.startedAt)}</td>`;
    }

    async function load() {
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(filter)) if (v && !(k === 'page' && v === 1)) query.set(k, v);
      history.replaceState(null, '', `${base}/jobs${query.toString() ? '?' + query : ''}`);
      const list = await getJson('/api/jobs?' + query);
      const tenants = form.tenant;
      tenants.innerHTML = '<option value="">all tenants</option>' + list.tenants.map(t => `<option>${esc(t)}</option>`).join('');
      tenants.value = filter.tenant;
      const body = document.querySelector('#jobs tbody');
      body.innerHTML = list.jobs.length
        ? list.jobs.map(j => `<tr data-job="${esc(j.id)}">${row(j)}</tr>`).join('')
        : '<tr><td colspan="8" class="muted">No jobs match.</td></tr>';
      shown = new Set(list.jobs.map(j => j.id));
      const pages = Math.max(1, Math.ceil(list.total / list.size));
      document.getElementById('pager').innerHTML = `
        <button type="button" data-go="-1" ${filter.page <= 1 ? 'disabled' : ''}>Newer</button>
        <span>page ${filter.page} of ${pages} · ${num(list.total)} jobs</span>
        <button type="button" data-go="1" ${filter.page >= pages ? 'disabled' : ''}>Older</button>`;
    }
    const reload = throttle(() => load().catch(fail), 1000);

    form.addEventListener('submit', e => {
      e.preventDefault();
      Object.assign(filter, { tenant: form.tenant.value, state: form.state.value, q: form.q.value.trim(), page: 1 });
      load().catch(fail);
    });
    document.getElementById('pager').addEventListener('click', e => {
      const go = e.target.closest('button[data-go]');
      if (go) { filter.page += +go.dataset.go; load().catch(fail); }
    });
    untilAnswered(load);
    live((name, data) => {
      if (name !== 'job') return;
      const tr = shown.has(data.id) ? document.querySelector(`#jobs tr[data-job="${CSS.escape(data.id)}"]`) : null;
      if (tr && (!filter.state || filter.state === data.state)) tr.innerHTML = row(data); // progress in place
      else if (filter.page === 1 || tr) reload(); // a new job, or one leaving the filter: ask for the page again
    }, reload);
  }

  // ---- one job ----
  function job() {
    let current = null, samples = [], checkpoints = [], quarantineAfter = -1;
    app.innerHTML = `
      <h1>Job <span id="job-id">${esc(jobId)}</span> <span id="job-state-badge"></span></h1>
      <div id="job-actions" class="actions"></div>
      <p id="action-error" class="error" role="alert" hidden></p>
      <div class="figures">
        <div class="figure"><span>State</span><b id="job-state">–</b></div>
        <div class="figure"><span>Processed</span><b id="job-processed">–</b></div>
        <div class="figure"><span>Loaded</span><b id="job-loaded">–</b></div>
        <div class="figure"><span>Quarantined</span><b id="job-quarantined">–</b></div>
        <div class="figure"><span>Records/s</span><b id="job-rate">–</b></div>
        <div class="figure"><span>Checkpoint</span><b id="job-checkpoint">–</b></div>
      </div>
      <div class="bar" id="job-bar" title="progress"><div style="width:0"></div></div>
      <p class="muted" id="job-read" hidden></p>
      <div class="card"><dl class="meta" id="job-meta"></dl></div>
      <div id="job-totals"></div>
      <h2>Records per second over the run</h2><div id="job-chart"></div>
      <h2>Phases</h2>
      <div class="scroll"><table id="phases"><thead><tr><th>Phase</th><th class="num">Records</th><th class="num">Records/s (busy)</th><th class="num">Errors</th></tr></thead><tbody></tbody></table></div>
      <h2>Checkpoints</h2>
      <div class="scroll"><table id="checkpoints"><thead><tr><th class="num">Offset</th><th>Persisted</th><th class="num">Replayed after a crash</th><th>Node</th></tr></thead><tbody></tbody></table></div>
      <h2>Recent errors</h2><ul id="job-errors"></ul>
      <details id="quarantine-browser"><summary>Quarantined records (<span id="quarantine-count">0</span>)</summary>
        <div class="scroll"><table id="quarantine"><thead><tr><th class="num">Offset</th><th>Code</th><th>Message</th><th>Payload</th></tr></thead><tbody></tbody></table></div>
        <button type="button" id="quarantine-more" hidden>More</button>
      </details>`;

    function show(j) {
      current = j;
      document.getElementById('job-state').textContent = j.state;
      document.getElementById('job-state-badge').innerHTML = state(j.state);
      document.getElementById('job-processed').textContent = num(j.processed);
      document.getElementById('job-loaded').textContent = num(j.loaded);
      document.getElementById('job-quarantined').textContent = num(j.quarantined);
      document.getElementById('job-rate').textContent = num(j.recordsPerSecond);
      document.getElementById('job-checkpoint').textContent = num(j.checkpoint);
      document.getElementById('quarantine-count').textContent = num(j.quarantined);
      // A file's size is known, so its bar fills as it is read; a source of unknown size (an HTTP API) shows motion
      // while running and fills when done.
      const known = j.state === 'Running' && j.readFraction != null;
      const percent = known ? Math.floor(j.readFraction * 100) : null;
      const read = document.getElementById('job-read');
      read.hidden = !known;
      read.textContent = known ? `${percent}% of the source read` + (j.secondsLeft != null ? `, about ${left(j.secondsLeft)} left` : '') : '';
      const bar = document.getElementById('job-bar');
      bar.classList.toggle('moving', j.state === 'Running' && !known);
      bar.firstElementChild.style.width = known ? `${percent}%`
        : j.state === 'Completed' || j.state === 'Running' ? '100%' : (j.processed > 0 ? '50%' : '0');
      document.getElementById('job-meta').innerHTML = [
        ['Tenant', j.tenant], ['Node', j.node || '–', 'job-node'], ['Source', `${j.sourceKind} ${j.sourcePath}`], ['Sink', j.sink],
        ['Started', time(j.startedAt)], ['Finished', time(j.finishedAt)], ['Last checkpoint', time(j.lastCheckpointAt)],
        ['Error', j.error || '–']].map(([k, v, id]) => `<dt>${k}</dt><dd${id ? ` id="${id}"` : ''}>${esc(v)}</dd>`).join('');
      const t = j.totals;
      document.getElementById('job-totals').innerHTML = t ? `<div class="card" id="totals"><b>Loaded by this job:</b>
        <span id="totals-messages">${num(t.messages)}</span> messages, ${num(t.conversations)} conversations, ${num(t.participants)} participants,
        ${num(t.quarantined)} quarantined${t.table ? `, ${num(t.tableRows)} rows of ${esc(t.table)}` : ''}</div>` : '';
      document.querySelector('#phases tbody').innerHTML = j.phases.length
        ? j.phases.map(p => `<tr><td>${p.name}</td><td class="num">${num(p.records)}</td><td class="num">${num(p.recordsPerSecond)}</td><td class="num">${num(p.errors)}</td></tr>`).join('')
        : '<tr><td colspan="4" class="muted">No work yet.</td></tr>';
      document.getElementById('job-errors').innerHTML = j.recentErrors.length
        ? j.recentErrors.map(e => `<li>${esc(e)}</li>`).join('') : '<li class="muted">None.</li>';
      actions(j);
    }

    function showHistory() {
      document.getElementById('job-chart').innerHTML = chart(samples.map(s => ({ at: s.at, value: s.recordsPerSecond })), 'records/s');
      document.querySelector('#checkpoints tbody').innerHTML = checkpoints.length
        ? checkpoints.map(c => `<tr><td class="num">${num(c.offset)}</td><td>${time(c.at)}</td><td class="num">${num(c.replay)}</td><td>${esc(c.node || '–')}</td></tr>`).join('')
        : '<tr><td colspan="4" class="muted">None seen by this node yet.</td></tr>';
    }

    function actions(j) {
      const box = document.getElementById('job-actions');
      if (!mayAct) { box.innerHTML = ''; return; }
      const possible = [];
      if (j.state === 'Running' || j.state === 'Pending') possible.push(['pause', 'Pause']);
      if (j.state === 'Paused' || j.state === 'Failed') possible.push(['resume', 'Resume']);
      if (j.state === 'Running' || j.state === 'Pending' || j.state === 'Paused' || j.state === 'Failed') possible.push(['cancel', 'Cancel']);
      box.innerHTML = possible.map(([a, label]) => `<button type="button" data-action="${a}" class="${a === 'cancel' ? 'danger' : ''}">${label}</button>`).join('');
    }

    document.getElementById('job-actions').addEventListener('click', async e => {
      const button = e.target.closest('button[data-action]');
      if (!button) return;
      const action = button.dataset.action;
      if (action === 'cancel' && !confirm(`Cancel job ${jobId}? Rows already loaded stay.`)) return;
      const error = document.getElementById('action-error');
      error.hidden = true;
      for (const b of document.querySelectorAll('#job-actions button')) b.disabled = true;
      try {
        const response = await fetch(`${base}/api/jobs/${encodeURIComponent(jobId)}/${action}`, { method: 'POST', headers: { 'X-Etl-Dashboard': '1' } });
        const body = await response.json().catch(() => ({}));
        if (!response.ok) throw new Error(body.error || `${response.status}`);
        show(body);
      } catch (err) {
        error.textContent = err.message; error.hidden = false;
        if (current) actions(current);
      }
    });

    async function load() {
      const detail = await getJson(`/api/jobs/${encodeURIComponent(jobId)}`);
      samples = detail.samples; checkpoints = detail.checkpoints;
      show(detail.job); showHistory();
    }

    async function moreQuarantine() {
      const page = await getJson(`/api/jobs/${encodeURIComponent(jobId)}/quarantine?after=${quarantineAfter}&limit=20`);
      const body = document.querySelector('#quarantine tbody');
      if (quarantineAfter < 0 && !page.records.length) body.innerHTML = '<tr><td colspan="4" class="muted">None.</td></tr>';
      body.insertAdjacentHTML('beforeend', page.records.map(r => `<tr><td class="num">${r.offset}</td><td>${esc(r.code)}</td>
        <td class="wrap">${esc(r.message)}</td><td><pre class="payload">${esc(r.payload ?? '')}</pre></td></tr>`).join(''));
      if (page.records.length) quarantineAfter = page.records[page.records.length - 1].offset;
      document.getElementById('quarantine-more').hidden = !page.more;
    }
    // Loaded only when opened, a page at a time: a job may have quarantined thousands of records.
    document.getElementById('quarantine-browser').addEventListener('toggle', e => {
      if (e.target.open && quarantineAfter < 0) moreQuarantine().catch(fail);
    });
    document.getElementById('quarantine-more').addEventListener('click', () => moreQuarantine().catch(fail));

    const reloadHistory = throttle(() => load().catch(fail), 2000);
    untilAnswered(load);
    live((name, data) => {
      if (name !== 'job' || data.id !== jobId) return;
      show(data); // the pushed status itself: the figures move at once
      if (data.state === 'Running' && data.recordsPerSecond != null) { samples.push({ at: new Date().toISOString(), recordsPerSecond: data.recordsPerSecond }); }
      if (!checkpoints.length || checkpoints[0].offset !== data.checkpoint || data.state !== 'Running') reloadHistory();
      else showHistory();
    }, () => load().catch(fail));
  }

  ({ overview, jobs, job })[page]();
})();
