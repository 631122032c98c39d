// Opens a statecraft HTML report in headless Chromium, as a reader would, and prints on stdout
// (as JSON) what the integration test checks: console errors, network requests, the charts as
// laid out, a wide and a narrow screenshot, and the page printed on A4.
//
// usage: node check.mjs REPORT.html OUT_DIR
import { chromium } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [, , htmlPath, outDir] = process.argv;
if (!htmlPath || !outDir) {
  console.error('usage: node check.mjs REPORT.html OUT_DIR');
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const url = pathToFileURL(resolve(htmlPath)).href;
  const consoleMessages = [];
  const requests = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') consoleMessages.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => consoleMessages.push(`pageerror: ${e.message}`));
  page.on('request', (r) => { if (r.url() !== url) requests.push(r.url()); });
  page.on('requestfailed', (r) => { if (r.url() !== url) requests.push(`failed: ${r.url()}`); });
  await page.goto(url, { waitUntil: 'load' });

  const charts = await page.$$eval('figure.chart', (figures) => figures.map((f) => {
    const svg = f.querySelector('svg');
    const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    return {
      id: f.dataset.chart,
      width: box.width,
      height: box.height,
      shapes: svg ? svg.querySelectorAll('path, polyline, polygon, rect, circle, line').length : 0,
      texts: svg ? svg.querySelectorAll('text').length : 0,
      role: svg ? svg.getAttribute('role') : null,
      title: svg?.querySelector('title')?.textContent ?? '',
      description: svg?.querySelector('desc')?.textContent ?? '',
      caption: f.querySelector('figcaption')?.textContent ?? '',
    };
  }));
  const headings = await page.$$eval('h2', (hs) => hs.map((h) => h.textContent));
  await page.screenshot({ path: join(outDir, 'wide.png'), fullPage: true });

  await page.setViewportSize({ width: 360, height: 800 });
  const narrowOverflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  await page.screenshot({ path: join(outDir, 'narrow.png') });

  await page.emulateMedia({ media: 'print' });
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  writeFileSync(join(outDir, 'print.pdf'), pdf);
  const pdfText = pdf.toString('latin1');
  const mediaBox = /\/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]/.exec(pdfText);

  console.log(JSON.stringify({
    consoleMessages,
    requests,
    charts,
    headings,
    narrowOverflow,
    pdf: {
      bytes: pdf.length,
      pages: (pdfText.match(/\/Type\s*\/Page[^s]/g) || []).length,
      mediaBox: mediaBox ? [Number(mediaBox[1]), Number(mediaBox[2])] : null,
    },
  }));
} finally {
  await browser.close();
}
