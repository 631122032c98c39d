// Drives `statecraft serve` in headless Chromium as an analyst would, and prints on stdout (as
// JSON) what the integration test checks: the compromise forecast before and after an edit of a
// salience, the message shown for a malformed upload, a sweep's progress and its cancellation,
// the downloaded report and scenario, console errors, requests to other hosts, and a
// screenshot of every view.
//
// usage: node app.mjs URL OUT_DIR SALIENCE
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [, , url, outDir, salience] = process.argv;
if (!url || !outDir || !salience) {
  console.error('usage: node app.mjs URL OUT_DIR SALIENCE');
  process.exit(2);
}
const origin = new URL(url).origin;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
const out = { console: [], foreign: [] };
try {
  const context = await browser.newContext({ viewport: { width: 1500, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') out.console.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => out.console.push(`pageerror: ${e.message}`));
  page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('blob:')) out.foreign.push(r.url()); });
  const first = await page.goto(url, { waitUntil: 'load' });
  out.csp = first.headers()['content-security-policy'] || null;
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  const value = () => page.$eval('#summary [data-issue="nuclear_status"]', (n) => n.dataset.value);
  out.before = await value();
  await page.screenshot({ path: join(outDir, 'view-lands.png'), fullPage: false });

  // Edit: the DPRK's salience on nuclear status, in the positions table.
  await page.click('#editor-tabs [data-tab="stances"]');
  const dprk = await page.evaluate(() => app.scenario.actors.findIndex((a) => a.id === 'DPRK'));
  const input = `#edit-stances input[data-path="actors[${dprk}].positions.nuclear_status.salience"]`;
  await page.fill(input, salience);
  await page.waitForFunction((old) => {
    const n = document.querySelector('#summary [data-issue="nuclear_status"]');
    return n && n.dataset.value !== old && document.getElementById('status').textContent === 'up to date';
  }, out.before, { timeout: 30000 });
  out.after = await value();
  await page.screenshot({ path: join(outDir, 'edit-stances.png') });

  // A value off its range: the validator's message next to the field.
  await page.fill(input, '1.5');
  await page.waitForSelector(`${input}.invalid + .problem`, { timeout: 30000 });
  out.fieldProblem = await page.$eval(`${input} + .problem`, (n) => n.textContent);
  await page.screenshot({ path: join(outDir, 'field-problem.png') });
  await page.fill(input, salience);
  await page.waitForFunction(() => document.getElementById('status').textContent === 'up to date' && !document.querySelector('#editor .invalid'), null, { timeout: 30000 });

  // Every view, as a reader sees it.
  out.views = {};
  for (const tab of ['lands', 'coalitions', 'durability', 'power', 'whatif', 'notes']) {
    await page.click(`#view-tabs [data-tab="${tab}"]`);
    out.views[tab] = await page.$eval(`#view-${tab}`, (n) => ({ text: n.innerText.slice(0, 400), charts: n.querySelectorAll('svg').length, changed: n.querySelectorAll('tr.changed').length }));
    await page.screenshot({ path: join(outDir, `view-${tab}.png`) });
  }

  // Downloads: the edited scenario as TOML, and the report.
  const [toml] = await Promise.all([page.waitForEvent('download'), page.click('#download-toml')]);
  out.tomlPath = join(outDir, 'edited.toml');
  await toml.saveAs(out.tomlPath);
  const [report] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), page.click('#download-report')]);
  out.reportPath = join(outDir, 'report.html');
  await report.saveAs(out.reportPath);

  // A sweep of 20,000 draws: the progress moves, then it is cancelled.
  await page.click('#view-tabs [data-tab="sure"]');
  await page.fill('#sweep-draws', '20000');
  await page.click('#sweep-start');
  await page.waitForFunction(() => Number(document.getElementById('sweep-progress').value) > 0, null, { timeout: 30000 });
  out.progress = await page.$eval('#sweep-progress', (n) => [Number(n.value), Number(n.max)]);
  await page.screenshot({ path: join(outDir, 'view-sure-running.png') });
  await page.click('#sweep-cancel');
  await page.waitForFunction(() => /cancelled/.test(document.getElementById('sweep-status').textContent), null, { timeout: 30000 });
  out.sweepStatus = await page.$eval('#sweep-status', (n) => n.textContent);
  out.jobs = await page.$$eval('#jobs-table tbody tr', (rows) => rows.map((r) => ({ id: r.dataset.job, state: r.dataset.state })));
  await page.screenshot({ path: join(outDir, 'view-sure-cancelled.png') });

  // A malformed TOML upload: the line-numbered message next to the upload field.
  await page.setInputFiles('#upload', {
    name: 'bad.toml',
    mimeType: 'application/toml',
    buffer: Buffer.from('[scenario]\ntitle = "bad"\n[[issues]\nid = "x"\n'),
  });
  await page.waitForSelector('#upload-problems .problem', { timeout: 30000 });
  out.uploadProblem = await page.$eval('#upload-problems', (n) => n.textContent);
  await page.screenshot({ path: join(outDir, 'upload-problem.png') });
} catch (e) {
  out.error = String(e && e.stack || e);
} finally {
  await browser.close();
}
writeFileSync(join(outDir, 'app.json'), JSON.stringify(out, null, 2));
console.log(JSON.stringify(out));
