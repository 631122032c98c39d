// statecraft serve: the page's script. It edits the scenario as data (statecraft's JSON format),
// sends it to the server on every edit and shows the views the server renders. It runs no
// analysis: every number on the page comes from the server, which calls the analysis API.
'use strict';

const app = {
  scenario: null, // the scenario as edited
  baseline: null, // the scenario as loaded
  name: 'scenario', // the file name downloads are based on
  seq: 0, // the latest views request
  timer: null,
  sweepJob: null,
};

const $ = (id) => document.getElementById(id);

/** An element with attributes and children; text goes in as text, never as HTML. */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k === 'on') for (const [ev, f] of Object.entries(v)) node.addEventListener(ev, f);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// ---- paths such as `actors[1].positions.nuclear_status.salience` ----

function segments(path) {
  const out = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

function getPath(obj, path) {
  let cur = obj;
  for (const s of segments(path)) {
    if (cur === null || cur === undefined) return undefined;
    cur = cur[s];
  }
  return cur;
}

function setPath(obj, path, value) {
  const segs = segments(path);
  let cur = obj;
  for (let i = 0; i < segs.length - 1; i++) {
    if (cur[segs[i]] === undefined || cur[segs[i]] === null) cur[segs[i]] = typeof segs[i + 1] === 'number' ? [] : {};
    cur = cur[segs[i]];
  }
  const last = segs[segs.length - 1];
  if (value === undefined) delete cur[last];
  else cur[last] = value;
}

// ---- talking to the server ----

async function post(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({ kind: 'failed', problems: [{ message: `HTTP ${response.status}` }] }));
  return { ok: response.ok, status: response.status, data };
}

async function getJson(url) {
  const response = await fetch(url);
  const data = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, data };
}

function inline(scenario) {
  return { inline: { scenario } };
}

function say(text) {
  $('status').textContent = text;
}

function problemText(p) {
  let place = p.file || '';
  if (p.line) place += `:${p.line}${p.column ? ':' + p.column : ''}`;
  const head = place ? `${place}: ` : '';
  return head + p.message + (p.help ? `\nhelp: ${p.help}` : '');
}

function showProblems(box, problems) {
  box.replaceChildren(...problems.map((p) => el('span', { class: `problem ${p.severity === 'warning' ? 'warning' : ''}`, text: problemText(p) })));
}

// ---- loading ----

async function load(source, name) {
  say('loading…');
  const { ok, data } = await post('/api/v1/run', { scenario: source, analysis: 'show' });
  if (!ok) {
    showProblems($('upload-problems'), data.problems || []);
    say('the scenario was not loaded');
    return false;
  }
  $('upload-problems').replaceChildren();
  app.scenario = data.result;
  app.baseline = structuredClone(data.result);
  app.name = name;
  renderEditor();
  await refresh();
  return true;
}

function blank() {
  const s = {
    scenario: { title: 'New scenario' },
    issues: [{ id: 'issue_1', label: 'Issue 1', min: 0, max: 100, status_quo: 50, anchors: {} }],
    actors: [
      { id: 'A', name: 'Actor A', capability: 1, positions: { issue_1: { position: 20, salience: 0.5 } } },
      { id: 'B', name: 'Actor B', capability: 1, positions: { issue_1: { position: 80, salience: 0.5 } } },
    ],
  };
  app.scenario = s;
  app.baseline = structuredClone(s);
  app.name = 'new-scenario';
  $('upload-problems').replaceChildren();
  renderEditor();
  refresh();
}

// ---- the editor ----

function numberOrText(text) {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : t;
}

/** An input bound to `path` in the scenario. */
function field(path, kind = 'number', cls = '') {
  const value = getPath(app.scenario, path);
  if (kind === 'number' && value !== undefined && value !== null && typeof value === 'object') {
    // An uncertain value (a distribution): shown, not edited here.
    return el('span', { class: 'readonly', 'data-path': path, title: 'an uncertain value; edit it in the file', text: JSON.stringify(value) });
  }
  const input = el('input', {
    type: 'text',
    inputmode: kind === 'number' ? 'decimal' : undefined,
    class: cls,
    'data-path': path,
    'aria-label': path,
    value: value === undefined || value === null ? '' : String(value),
  });
  input.addEventListener('input', () => {
    const v = kind === 'number' ? numberOrText(input.value) : input.value === '' ? undefined : input.value;
    setPath(app.scenario, path, v);
    schedule();
  });
  return input;
}

function button(text, onClick, label) {
  return el('button', { type: 'button', 'aria-label': label || text, on: { click: onClick } }, text);
}

function edit(change) {
  change();
  renderEditor();
  schedule();
}

function renameIssue(oldId, newId) {
  for (const a of app.scenario.actors || []) {
    if (a.positions && oldId in a.positions) {
      a.positions[newId] = a.positions[oldId];
      delete a.positions[oldId];
    }
    for (const r of a.red_lines || []) if (r.issue === oldId) r.issue = newId;
  }
}

function anchorsField(k) {
  const issue = app.scenario.issues[k];
  const path = `issues[${k}].anchors`;
  const text = Object.entries(issue.anchors || {}).map(([v, l]) => `${v} = ${l}`).join('\n');
  const area = el('textarea', { 'data-path': path, 'aria-label': path }, text);
  area.value = text;
  area.addEventListener('input', () => {
    const anchors = {};
    for (const line of area.value.split('\n')) {
      const i = line.indexOf('=');
      if (i > 0) anchors[line.slice(0, i).trim()] = line.slice(i + 1).trim();
    }
    issue.anchors = anchors;
    schedule();
  });
  return area;
}

function renderIssues() {
  const s = app.scenario;
  const rows = (s.issues || []).map((issue, k) => {
    const id = field(`issues[${k}].id`, 'text', 'id');
    id.dataset.old = issue.id;
    id.addEventListener('change', () => {
      // Positions and red lines name the issue by id: they follow the new one.
      renameIssue(id.dataset.old, id.value);
      renderEditor();
      schedule();
    });
    return el('tr', {},
      el('td', {}, id),
      el('td', {}, field(`issues[${k}].label`, 'text', 'wide')),
      el('td', {}, field(`issues[${k}].min`)),
      el('td', {}, field(`issues[${k}].max`)),
      el('td', {}, field(`issues[${k}].status_quo`)),
      el('td', {}, anchorsField(k)),
      el('td', {}, button('Remove', () => edit(() => s.issues.splice(k, 1)), `remove issue ${issue.id}`)));
  });
  return [
    el('table', { class: 'edit' },
      el('thead', {}, el('tr', {}, ['Id', 'Label', 'Min', 'Max', 'Status quo', 'Anchors (value = label)', ''].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, rows)),
    button('Add an issue', () => edit(() => {
      const n = (s.issues || []).length + 1;
      (s.issues ||= []).push({ id: `issue_${n}`, label: `Issue ${n}`, min: 0, max: 100, status_quo: 50, anchors: {} });
    })),
  ];
}

function renderActors() {
  const s = app.scenario;
  const rows = (s.actors || []).map((actor, a) => el('tr', {},
    el('td', {}, field(`actors[${a}].id`, 'text', 'id')),
    el('td', {}, field(`actors[${a}].name`, 'text', 'wide')),
    el('td', {}, field(`actors[${a}].capability`)),
    el('td', {}, button('Remove', () => edit(() => s.actors.splice(a, 1)), `remove actor ${actor.id}`))));
  return [
    el('table', { class: 'edit' },
      el('thead', {}, el('tr', {}, ['Id', 'Name', 'Capability', ''].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, rows)),
    button('Add an actor', () => edit(() => {
      const n = (s.actors || []).length + 1;
      (s.actors ||= []).push({ id: `actor_${n}`, name: `Actor ${n}`, capability: 1, positions: {} });
    })),
  ];
}

function renderStances() {
  const s = app.scenario;
  const issues = s.issues || [];
  const header = el('tr', {}, el('th', { scope: 'col', text: 'Actor' }),
    issues.map((i) => el('th', { scope: 'col', title: i.id }, i.label || i.id, el('br'), el('span', { class: 'hint', text: 'position · salience' }))));
  const rows = (s.actors || []).map((actor, a) => el('tr', {},
    el('th', { scope: 'row', text: actor.name || actor.id }),
    issues.map((issue) => {
      const base = `actors[${a}].positions.${issue.id}`;
      return el('td', {}, el('div', { class: 'stance' }, field(`${base}.position`), field(`${base}.salience`)));
    })));
  return [el('p', { class: 'hint', text: 'Empty cells: the actor takes no part in that issue. Salience runs from 0 (does not matter) to 1 (above all).' }),
    el('table', { class: 'edit' }, el('thead', {}, header), el('tbody', {}, rows))];
}

function issueSelect(path) {
  const current = getPath(app.scenario, path);
  const select = el('select', { 'data-path': path, 'aria-label': path },
    (app.scenario.issues || []).map((i) => el('option', { value: i.id, selected: i.id === current }, i.label || i.id)));
  select.addEventListener('change', () => { setPath(app.scenario, path, select.value); schedule(); });
  return select;
}

function renderRedLines() {
  const s = app.scenario;
  const rows = [];
  (s.actors || []).forEach((actor, a) => {
    (actor.red_lines || []).forEach((_, r) => {
      const base = `actors[${a}].red_lines[${r}]`;
      rows.push(el('tr', {},
        el('th', { scope: 'row', text: actor.name || actor.id }),
        el('td', {}, issueSelect(`${base}.issue`)),
        el('td', {}, field(`${base}.min`)),
        el('td', {}, field(`${base}.max`)),
        el('td', {}, button('Remove', () => edit(() => actor.red_lines.splice(r, 1)), `remove red line ${r + 1} of ${actor.id}`))));
    });
  });
  const who = el('select', { 'aria-label': 'actor for a new red line' }, (s.actors || []).map((a, i) => el('option', { value: i }, a.name || a.id)));
  return [
    el('p', { class: 'hint', text: 'A red line is a range of an issue that the actor refuses outright, whatever else a package offers.' }),
    el('table', { class: 'edit' },
      el('thead', {}, el('tr', {}, ['Actor', 'Issue', 'From', 'To', ''].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, rows)),
    el('p', {}, who, ' ', button('Add a red line', () => edit(() => {
      const actor = s.actors[Number(who.value)];
      const issue = (s.issues || [])[0];
      if (!actor || !issue) return;
      (actor.red_lines ||= []).push({ issue: issue.id, min: issue.min, max: issue.min });
    }))),
  ];
}

function renderChanges() {
  const s = app.scenario;
  const rows = [];
  (s.actors || []).forEach((actor, a) => {
    ((actor.domestic || {}).changes || []).forEach((change, c) => {
      const base = `actors[${a}].domestic.changes[${c}]`;
      const successors = (change.successors || []).map((_, k) => el('div', { class: 'stance' },
        field(`${base}.successors[${k}].label`, 'text', 'wide'), field(`${base}.successors[${k}].probability`)));
      rows.push(el('tr', {},
        el('th', { scope: 'row', text: actor.name || actor.id }),
        el('td', {}, field(`${base}.label`, 'text', 'wide')),
        el('td', {}, field(`${base}.date`, 'text')),
        el('td', {}, field(`${base}.turnover`)),
        el('td', {}, field(`${base}.hazard`)),
        el('td', {}, successors),
        el('td', {}, button('Remove', () => edit(() => actor.domestic.changes.splice(c, 1)), `remove change ${c + 1} of ${actor.id}`))));
    });
  });
  const who = el('select', { 'aria-label': 'actor for a new leadership change' }, (s.actors || []).map((a, i) => el('option', { value: i }, a.name || a.id)));
  return [
    el('p', { class: 'hint', text: 'An election (a date and the chance that the leadership changes then) or a yearly hazard of change; successors are who may take over, with their probabilities and changed stances (stances are edited in the file).' }),
    el('table', { class: 'edit' },
      el('thead', {}, el('tr', {}, ['Actor', 'Change', 'Date', 'Turnover', 'Hazard / year', 'Successors (label, probability)', ''].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, rows)),
    el('p', {}, who, ' ', button('Add a leadership change', () => edit(() => {
      const actor = s.actors[Number(who.value)];
      if (!actor) return;
      actor.domestic ||= {};
      (actor.domestic.changes ||= []).push({ label: 'new government', hazard: 0.1, successors: [{ label: 'successor', probability: 1, positions: {} }] });
    }))),
  ];
}

function renderForms() {
  const s = app.scenario;
  const rows = (s.forms || []).map((form, f) => el('tr', {},
    el('td', {}, field(`forms[${f}].id`, 'text', 'id')),
    el('td', {}, field(`forms[${f}].label`, 'text', 'wide')),
    el('td', {}, field(`forms[${f}].cost`)),
    el('td', {}, button('Remove', () => edit(() => s.forms.splice(f, 1)), `remove form ${form.id}`))));
  return [
    el('p', { class: 'hint', text: 'The cost is what reneging costs a new government, as a share of the issue scale; per-actor and per-issue costs are edited in the file.' }),
    el('table', { class: 'edit' },
      el('thead', {}, el('tr', {}, ['Id', 'Label', 'Cost of reneging', ''].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, rows)),
    button('Add a form', () => edit(() => {
      const n = (s.forms || []).length + 1;
      (s.forms ||= []).push({ id: `form_${n}`, label: `Form ${n}`, cost: 0.1 });
    })),
  ];
}

function renderEditor() {
  const s = app.scenario;
  if (!s) return;
  $('title').textContent = (s.scenario && s.scenario.title) || '';
  $('edit-issues').replaceChildren(...renderIssues());
  $('edit-actors').replaceChildren(...renderActors());
  $('edit-stances').replaceChildren(...renderStances());
  $('edit-redlines').replaceChildren(...renderRedLines());
  $('edit-changes').replaceChildren(...renderChanges());
  $('edit-forms').replaceChildren(...renderForms());
}

// ---- problems next to their fields ----

function clearMarks() {
  for (const n of document.querySelectorAll('#editor .problem')) n.remove();
  for (const n of document.querySelectorAll('#editor .invalid, #editor .warned')) n.classList.remove('invalid', 'warned');
  $('problems').replaceChildren();
}

/** The editor's input for `path`, or for the nearest enclosing path that has one. */
function inputFor(path) {
  let segs = segments(path);
  while (segs.length) {
    const p = segs.map((s, i) => (typeof s === 'number' ? `[${s}]` : (i ? '.' : '') + s)).join('');
    const node = document.querySelector(`#editor [data-path="${CSS.escape(p)}"]`);
    if (node) return node;
    segs = segs.slice(0, -1);
  }
  return null;
}

function paneOf(node) {
  const pane = node.closest('.pane');
  return pane ? pane.id.replace('edit-', '') : null;
}

function markProblems(problems) {
  clearMarks();
  const loose = [];
  let firstPane = null;
  for (const p of problems) {
    const node = p.path ? inputFor(p.path) : null;
    if (!node) { loose.push(p); continue; }
    node.classList.add(p.severity === 'warning' ? 'warned' : 'invalid');
    node.setAttribute('aria-invalid', p.severity === 'warning' ? 'false' : 'true');
    node.after(el('span', { class: `problem ${p.severity === 'warning' ? 'warning' : ''}`, role: 'alert', text: p.message + (p.help ? `\nhelp: ${p.help}` : '') }));
    if (!firstPane && p.severity !== 'warning') firstPane = paneOf(node);
  }
  showProblems($('problems'), loose);
  return firstPane;
}

// ---- views ----

function schedule() {
  clearTimeout(app.timer);
  app.timer = setTimeout(refresh, 200);
}

function showTab(group, tab) {
  const prefix = group === 'editor-tabs' ? 'edit-' : 'view-';
  for (const b of $(group).querySelectorAll('button')) b.setAttribute('aria-selected', String(b.dataset.tab === tab));
  for (const pane of $(group).parentElement.querySelectorAll(':scope > .pane')) pane.hidden = pane.id !== prefix + tab;
}

function renderSummary(compromise) {
  const issues = app.scenario.issues || [];
  const parts = issues.filter((i) => compromise[i.id] !== undefined && compromise[i.id] !== null).map((i) =>
    el('span', { class: 'forecast' }, `${i.label || i.id} `, el('span', { class: 'value', 'data-issue': i.id, 'data-value': String(compromise[i.id]) }, fmt(compromise[i.id]))));
  const out = ['Compromise forecast: '];
  parts.forEach((p, n) => { if (n) out.push(' · '); out.push(p); });
  $('summary').replaceChildren(...out);
}

function fmt(v) {
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en');
  return String(Math.round(v * 100) / 100);
}

async function refresh() {
  if (!app.scenario) return;
  const seq = ++app.seq;
  say('updating…');
  const { ok, data } = await post('/app/views', { scenario: inline(app.scenario), baseline: inline(app.baseline) });
  if (seq !== app.seq) return; // a newer edit is on its way
  if (!ok) {
    const pane = markProblems(data.problems || []);
    if (pane) showTab('editor-tabs', pane);
    $('stale').hidden = false;
    say(`${(data.problems || []).length} problem(s) in the scenario`);
    return;
  }
  markProblems(data.warnings || []);
  $('stale').hidden = true;
  const shown = new Set();
  for (const v of data.views) {
    const node = v.id === 'sure' ? null : $(`view-${v.id}`);
    if (node) { node.innerHTML = v.html; shown.add(v.id); }
  }
  for (const id of ['notes', 'whatif']) if (!shown.has(id)) $(`view-${id}`).replaceChildren(el('p', { class: 'empty', text: id === 'notes' ? 'No notes.' : 'No comparison yet.' }));
  renderSummary(data.compromise || {});
  say('up to date');
}

// ---- downloads ----

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = el('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function downloadScenario(to) {
  const { ok, data } = await post('/api/v1/run', { scenario: inline(app.scenario), analysis: { convert: { to } } });
  if (!ok) { showProblems($('problems'), data.problems || []); return; }
  download(`${app.name}.${to}`, data.result.text, to === 'json' ? 'application/json' : 'application/toml');
}

function go(url) {
  const a = el('a', { href: url, download: '' });
  document.body.append(a);
  a.click();
  a.remove();
}

// ---- jobs ----

async function submitJob(analysis) {
  const { ok, data } = await post('/api/v1/jobs', { scenario: inline(app.scenario), analysis });
  if (!ok) { showProblems($('problems'), data.problems || []); say((data.problems || [{}])[0].message || 'the job was refused'); return null; }
  return data;
}

async function waitFor(id, onStatus) {
  for (;;) {
    const { ok, data } = await getJson(`/api/v1/jobs/${id}`);
    if (!ok) return null;
    onStatus(data);
    if (['done', 'failed', 'cancelled'].includes(data.state)) return data;
    await new Promise((r) => setTimeout(r, 250));
    await listJobs();
  }
}

async function downloadReport() {
  say('writing the report…');
  // The downloaded report has everything, what the record says included.
  const job = await submitJob({ report: { infer: true } });
  if (!job) return;
  const done = await waitFor(job.id, () => {});
  await listJobs();
  if (done && done.state === 'done') { go(`/api/v1/jobs/${job.id}/result?format=html`); say('report written'); }
  else say('the report failed');
}

async function startSweep(event) {
  event.preventDefault();
  const runs = Number($('sweep-draws').value);
  const seed = Number($('sweep-seed').value);
  $('sweep-start').disabled = true;
  $('sweep-downloads').replaceChildren();
  const models = $('sweep-models').value.split(',');
  const sweep = { runs, seed, models };
  const rows = $('sweep-sensitivity').value.trim();
  if (rows !== '') sweep.sensitivity = Number(rows);
  const job = await submitJob({ sweep });
  if (!job) { $('sweep-start').disabled = false; return; }
  app.sweepJob = job.id;
  $('sweep-cancel').disabled = false;
  const done = await waitFor(job.id, (s) => {
    const bar = $('sweep-progress');
    bar.max = s.total || runs;
    bar.value = s.done;
    $('sweep-status').textContent = `${s.state}: ${s.done.toLocaleString('en')} of ${(s.total || runs).toLocaleString('en')} draws`;
  });
  $('sweep-cancel').disabled = true;
  $('sweep-start').disabled = false;
  await listJobs();
  if (!done) return;
  if (done.state === 'failed') { showProblems($('problems'), (done.error || {}).problems || []); return; }
  const views = await getJson(`/app/jobs/${job.id}/views`);
  if (views.ok) {
    const sure = views.data.views.find((v) => v.id === 'sure');
    $('sure-result').innerHTML = sure ? sure.html : '';
  } else {
    $('sure-result').replaceChildren(el('p', { class: 'empty', text: done.state === 'cancelled' ? 'The sweep was cancelled before its first draws finished.' : 'No result.' }));
  }
  $('sweep-downloads').replaceChildren('Download: ',
    el('a', { href: `/api/v1/jobs/${job.id}/result?format=json`, download: `sweep-${job.id}.json` }, 'JSON'));
}

async function cancelSweep() {
  if (app.sweepJob === null) return;
  await fetch(`/api/v1/jobs/${app.sweepJob}`, { method: 'DELETE' });
}

async function listJobs() {
  const { ok, data } = await getJson('/api/v1/jobs');
  if (!ok) return;
  const rows = data.slice().reverse().map((j) => el('tr', { 'data-job': j.id, 'data-state': j.state },
    el('td', { text: String(j.id) }),
    el('td', { text: j.analysis }),
    el('td', { text: j.state + (j.interrupted ? ' (partial)' : '') }),
    el('td', {}, el('progress', { max: j.total || 1, value: j.total ? j.done : (j.state === 'done' ? 1 : 0) }), j.total ? ` ${j.done.toLocaleString('en')} of ${j.total.toLocaleString('en')}` : ''),
    el('td', {}, j.state === 'done' || j.interrupted
      ? [el('a', { href: `/api/v1/jobs/${j.id}/result?format=json`, download: '' }, 'JSON'),
        ...(j.analysis === 'report' ? [' ', el('a', { href: `/api/v1/jobs/${j.id}/result?format=html`, download: '' }, 'HTML'), ' ', el('a', { href: `/api/v1/jobs/${j.id}/result?format=csv`, download: '' }, 'CSV')] : [])]
      : (['queued', 'running'].includes(j.state) ? button('Cancel', () => fetch(`/api/v1/jobs/${j.id}`, { method: 'DELETE' }), `cancel job ${j.id}`) : ''))));
  $('jobs-table').tBodies[0].replaceChildren(...rows);
}

// ---- start ----

async function start() {
  for (const group of ['editor-tabs', 'view-tabs']) {
    for (const b of $(group).querySelectorAll('button')) b.addEventListener('click', () => showTab(group, b.dataset.tab));
  }
  $('load-builtin').addEventListener('click', () => load({ builtin: { name: $('builtin').value } }, $('builtin').value));
  $('blank').addEventListener('click', blank);
  $('upload').addEventListener('change', async () => {
    const file = $('upload').files[0];
    if (!file) return;
    const text = await file.text();
    await load({ text: { file: file.name, text } }, file.name.replace(/\.[^.]*$/, ''));
  });
  $('download-toml').addEventListener('click', () => downloadScenario('toml'));
  $('download-json').addEventListener('click', () => downloadScenario('json'));
  $('download-report').addEventListener('click', downloadReport);
  $('sweep-form').addEventListener('submit', startSweep);
  $('sweep-cancel').addEventListener('click', cancelSweep);
  const builtins = await getJson('/api/v1/builtins');
  $('builtin').replaceChildren(...(builtins.data || []).map((b) => el('option', { value: b.name, title: b.summary }, b.name)));
  const initial = await getJson('/app/initial');
  const source = initial.data.scenario;
  const name = source.builtin ? source.builtin.name : source.text ? source.text.file.replace(/\.[^.]*$/, '') : 'scenario';
  await load(source, name);
  await listJobs();
  document.body.dataset.ready = 'true';
}

document.addEventListener('DOMContentLoaded', start);
