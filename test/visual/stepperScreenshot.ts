// Visual check of the stepper webview outside VS Code: bundles webview/stepper.entry.ts, serves it
// from a static page whose acquireVsCodeApi stub answers like StepperPanel (view model on 'ready',
// attention slices on 'needAttention'), renders the synthetic fixture in headless Chromium at
// 1280x800 in VS Code's dark, light and high-contrast (dark and light) themes, checks there is no
// horizontal overflow and no script error, exercises the attention viewer (enlarge a head, zoom,
// hover a token, colour scales, exports), cards out of view catching up in idle time, the
// projection's SVG export, canvases following a device pixel ratio change, resize observers
// released with their views, a long row (the answer in view), and a theme change while the page is
// open (the attention maps' axis labels repaint in the new colours), and writes screenshots to
// .artifacts/stepper/.
// Run: node --import tsx test/visual/stepperScreenshot.ts   (needs /usr/bin/chromium)
import { writeFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { buildStepperContent } from '../../src/core/view/stepperViewModel';
import { summarizeTrace } from '../../src/core/trace/tracedInput';
import { encodeFloat32Base64 } from '../../src/core/view/encodeAttention';
import { raspProgramSource } from '../../src/core/programs/source/raspProgramSource';
import { buildStepperFixture } from '../support/stepperFixture';
import { bundleInto, harnessHtml, horizontalOverflow, launchChromium, openHarness, runHarness, THEMES } from './harness';

const out = resolve('.artifacts/stepper');

function fixtureMessages(bits: string, heads: number, layers: number) {
  const f = buildStepperFixture({ bits, heads, layers, dModel: 16, wrongSteps: [3] });
  // the program side is the shipped task file run by the RASP-L interpreter; the model side is the synthetic fixture
  const program = raspProgramSource(readFileSync('models/tasks/parity.raspl', 'utf8'), 'models/tasks/parity.raspl').run(f.example.input, f.trace.steps);
  const content = buildStepperContent({ modelLabel: 'parity-fixture.onnx', modelPath: '/models/parity-fixture.onnx', inputText: bits, traced: summarizeTrace(f.task, f.example, f.trace), program });
  const attention: Record<string, string> = {};
  for (let t = 1; t <= f.trace.steps; t++) {
    for (let l = 0; l < f.trace.layers; l++) {
      attention[`${t}:${l}`] = encodeFloat32Base64(content.attention(t, l));
    }
  }
  return { viewModel: content.viewModel, attention };
}

/** The host's side, played by the stub as StepperPanel does; sessionStorage stands in for VS Code's webview state, so a reload checks the restore path. */
function page(theme: Record<string, string>, data: unknown): string {
  const stub = `  const DATA = ${JSON.stringify(data)};
  // counts live resize observations (lifecycleChecks)
  window.__observing = 0;
  window.ResizeObserver = class extends ResizeObserver {
    observe(e) { window.__observing++; super.observe(e); }
    disconnect() { window.__observing--; super.disconnect(); }
  };
  window.acquireVsCodeApi = () => ({
    getState: () => JSON.parse(sessionStorage.getItem('state') || 'null') || undefined,
    setState: (s) => sessionStorage.setItem('state', JSON.stringify(s)),
    postMessage: (m) => {
      window.__sent.push(m);
      const reply = (r) => setTimeout(() => window.postMessage(r, '*'), 5);
      if (m.type === 'ready') reply({ type: 'viewModel', viewModel: DATA.viewModel });
      if (m.type === 'needAttention') reply({ type: 'attention', step: m.step, layer: m.layer, data: DATA.attention[m.step + ':' + m.layer] });
      if (m.type === 'setInput') reply({ type: 'error', message: 'This harness has no model: cannot trace "' + m.text + '".' });
    },
  });`;
  return harnessHtml({ theme, stylesheets: ['stepper.css'], stub, script: 'stepper' });
}

/** Buttons, typing a new input, and restoring the step after a reload. Returns what went wrong. */
async function interactionChecks(p: Page): Promise<string[]> {
  const bad: string[] = [];
  const label = async () => (await p.textContent('.st-step-label')) ?? '';
  await p.click('vscode-button[aria-label="Next step (→)"]');
  await p.click('vscode-button[aria-label="Next step (→)"]');
  if (!(await label()).startsWith('Step 13 /')) bad.push(`after two Next clicks the label reads "${await label()}"`);
  await p.click('.st-strip .st-hit >> nth=4');
  if (!(await label()).startsWith('Step 5 /')) bad.push(`clicking strip column 5 gives "${await label()}"`);
  await p.reload();
  await p.waitForSelector('.st-heatmap');
  if (!(await label()).startsWith('Step 5 /')) bad.push(`after a reload the step was not restored: "${await label()}"`);
  await p.fill('#st-input input', '10x1');
  await p.keyboard.press('Enter');
  await p.waitForSelector('.st-status.error', { timeout: 3000 }).catch(() => bad.push('no error status after an input the host rejects'));
  const sent = (await p.evaluate(() => (window as unknown as { __sent: { type: string }[] }).__sent.map((m) => m.type))) as string[];
  for (const t of ['ready', 'needAttention', 'setInput']) if (!sent.includes(t)) bad.push(`the webview never sent "${t}"`);
  await p.evaluate(() => sessionStorage.clear());
  await p.reload();
  await p.waitForSelector('.st-heatmap');
  bad.push(...(await attentionChecks(p)));
  return bad.map((b) => `dark: ${b}`);
}

/** The attention viewer: enlarge a head (click and keyboard), zoom, hover a token everywhere, change the scale, export. */
async function attentionChecks(p: Page): Promise<string[]> {
  const bad: string[] = [];
  await p.click('.st-head[data-head="0"]');
  await p.waitForSelector('.st-detail:not([hidden]) .st-detail-svg .st-axis text', { timeout: 3000 }).catch(() => bad.push('clicking head 1 did not enlarge it with token axes'));
  const ticks = await p.locator('.st-detail .st-axis.x .tick').count();
  if (ticks < 5) bad.push(`the enlarged head has ${ticks} key labels`);
  await p.focus('.st-detail');
  await p.keyboard.press('+');
  await p.keyboard.press('+');
  await p.keyboard.press('ArrowRight');
  const zoomedTicks = await p.locator('.st-detail .st-axis.x .tick').count();
  if (zoomedTicks >= ticks) bad.push(`zooming in did not narrow the key axis (${ticks} → ${zoomedTicks} labels)`);
  const label = async () => (await p.textContent('.st-step-label')) ?? '';
  const before = await label();
  await p.keyboard.press('ArrowLeft'); // pans the map; must not change the step while the map has focus
  if ((await label()) !== before) bad.push('an arrow key in the enlarged map changed the step');
  await p.keyboard.press(']');
  if (!((await p.textContent('.st-detail-title')) ?? '').includes('head 2')) bad.push('] did not move to the next head');
  await p.keyboard.press('Escape');
  if (!(await p.locator('.st-detail').isHidden())) bad.push('Escape did not close the enlarged head');
  await p.focus('.st-head[data-head="1"]');
  await p.keyboard.press('Enter');
  if (await p.locator('.st-detail').isHidden()) bad.push('Enter on a head did not enlarge it');
  // hover a token of the ruler: every head reads out its weight for that query
  await p.hover('.st-ruler .st-chip-tok >> nth=5');
  const readouts = await p.locator('.st-head .st-readout').allTextContents();
  if (readouts.length === 0 || readouts.some((r) => !/q5 → k\d+/.test(r))) bad.push(`hovering token 5 gave read-outs ${JSON.stringify(readouts.slice(0, 3))}`);
  for (const scale of ['log', 'row', 'linear']) {
    await p.evaluate((v) => {
      const sel = document.querySelector('#st-scale') as HTMLElement & { value: string };
      sel.value = v;
      sel.dispatchEvent(new Event('change'));
    }, scale);
  }
  await p.click('.st-attention .card-head .ex-link >> nth=0');
  await p.click('.st-attention .card-head .ex-link >> nth=3');
  const sent = (await p.evaluate(() => (window as unknown as { __sent: { type: string; table?: string; format?: string }[] }).__sent)) as { type: string; table?: string; format?: string; data?: string }[];
  if (!sent.some((m) => m.type === 'exportData' && m.table === 'attention' && m.format === 'csv')) bad.push('the attention CSV link sent no exportData');
  if (!sent.some((m) => m.type === 'exportImage' && m.format === 'svg' && /^<svg/.test(m.data ?? ''))) bad.push('the attention SVG link sent no SVG');
  await p.keyboard.press('Escape');
  return bad;
}

/** Cards out of view wait for idle time, then catch up; the projection's SVG holds what its canvases show. */
async function deferredChecks(p: Page): Promise<string[]> {
  const bad: string[] = [];
  await p.evaluate(() => window.scrollTo(0, 0));
  await p.waitForTimeout(300);
  const stepOf = (text: string | null) => Number(/(\d+)/.exec(text ?? '')?.[1] ?? NaN);
  // End, and read the page in the same task: the cards in view have the step, the rest not yet
  const now = await p.evaluate(() => {
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    // no named helper in here: tsx would wrap it in a __name call the page does not have
    const [label, state, matching] = ['.st-step-label', '.st-state .st-model th', '.st-heads-selectors thead th:last-child'].map((s) => document.querySelector(s)?.textContent ?? '');
    return { label: label!, state: state!, matching: matching! };
  });
  const T = Number(/\/ (\d+)/.exec(now.label)?.[1]);
  if (stepOf(now.label) !== T) bad.push(`End shows "${now.label}"`);
  if (stepOf(now.state) !== T) bad.push(`the state table in view still reads "${now.state}" after End`);
  if (stepOf(now.matching) === T) bad.push('the heads ↔ selectors card, out of view, was redrawn with the step instead of in idle time');
  const caughtUp = await p
    .waitForFunction((t) => (document.querySelector('.st-heads-selectors thead th:last-child')?.textContent ?? '').includes(`step ${t}`), T, { timeout: 3000 })
    .then(() => true, () => false);
  if (!caughtUp) bad.push('the heads ↔ selectors card, out of view, never caught up with the step');
  // the projection's SVG export: every state (the cloud's canvas), the trajectory and the step's marks
  const W = await p.locator('.st-ruler .st-chip-tok').count();
  await p.click('.st-hidden .card-head .ex-link >> nth=3');
  const svg = (await p.evaluate(() => (window as unknown as { __sent: { type: string; name?: string; data?: string }[] }).__sent.filter((m) => m.type === 'exportImage' && /hidden-pca/.test(m.name ?? '')).pop()?.data ?? '')) as string;
  const circles = (svg.match(/<circle/g) ?? []).length;
  // cloud T x W, trajectory T, the step's W points and its ring
  if (!svg.startsWith('<svg') || circles !== T * W + T + W + 1) bad.push(`the projection's SVG has ${circles} points, not ${T * W + T + W + 1} (${T} steps x ${W} positions, the trajectory and step ${T})`);
  return bad.map((b) => `deferred: ${b}`);
}

/** Every canvas is backed at the new device pixel ratio after a change; a new view model releases the old views' resize observers. */
async function lifecycleChecks(p: Page): Promise<string[]> {
  const bad: string[] = [];
  await p.click('.st-head[data-head="0"]');
  await p.waitForSelector('.st-detail:not([hidden]) .st-detail-cells');
  const cdp = await p.context().newCDPSession(p);
  for (const [ratio, height] of [[2, 790], [1.5, 780]] as const) {
    // the height change makes headless Chromium re-evaluate media queries; the page ignores it (same width)
    await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1280, height, deviceScaleFactor: ratio, mobile: false });
    await p.waitForTimeout(300);
    // scroll through, so that every card catches up (out of view, updates wait for idle time)
    await p.evaluate(async () => {
      for (let y = 0; y < document.body.scrollHeight; y += 500) {
        window.scrollTo(0, y);
        await new Promise((r) => setTimeout(r, 60));
      }
    });
    await p.waitForTimeout(300);
    const off = await p.evaluate((r) => [...document.querySelectorAll('canvas')].filter((c) => c.style.width && Math.abs(c.width / parseFloat(c.style.width) - r) > 0.05).map((c) => c.className), ratio);
    if (off.length) bad.push(`at device pixel ratio ${ratio}, ${off.length} canvases kept another ratio: ${[...new Set(off)].join(', ')}`);
  }
  await cdp.send('Emulation.clearDeviceMetricsOverride');
  await p.keyboard.press('Escape');
  const observing = () => p.evaluate(() => (window as unknown as { __observing: number }).__observing);
  const before = await observing();
  for (let i = 0; i < 3; i++) {
    await p.evaluate(() => (window as unknown as { acquireVsCodeApi(): { postMessage(m: unknown): void } }).acquireVsCodeApi().postMessage({ type: 'ready' }));
    await p.waitForTimeout(200);
  }
  if ((await observing()) !== before) bad.push(`three new view models took the resize observations from ${before} to ${await observing()}`);
  return bad.map((b) => `lifecycle: ${b}`);
}

/** The attention maps' axis labels: the colour of their most opaque pixels (the text's fill), read from the first map's canvas. */
function labelColour(p: Page): Promise<number[] | null> {
  return p.evaluate(() => {
    const cv = document.querySelector<HTMLCanvasElement>('.st-map-labels');
    if (!cv) return null;
    const d = cv.getContext('2d')!.getImageData(0, 0, cv.width, cv.height).data;
    let best = 0;
    let rgb: number[] | null = null;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3]! > best) {
        best = d[i + 3]!;
        rgb = [d[i]!, d[i + 1]!, d[i + 2]!];
      }
    }
    return rgb;
  });
}

/** Switches the open page from the light theme to the dark one as VS Code does (new variables, the body's class): the maps' labels follow. */
async function themeChecks(p: Page): Promise<string[]> {
  const bad: string[] = [];
  const hex = (h: string) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
  const near = (a: number[] | null, b: number[]) => a !== null && a.every((v, i) => Math.abs(v - b[i]!) <= 12);
  await p.locator('.st-attention').scrollIntoViewIfNeeded();
  const light = hex(THEMES.light!.descriptionForeground!);
  const dark = hex(THEMES.dark!.descriptionForeground!);
  const before = await labelColour(p);
  if (!near(before, light)) bad.push(`the axis labels are ${JSON.stringify(before)} in the light theme, not its ${JSON.stringify(light)}`);
  await p.evaluate((vars) => {
    for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(`--vscode-${k}`, v);
    document.body.className = 'vscode-dark';
    document.body.setAttribute('data-vscode-theme-kind', 'vscode-dark');
  }, THEMES.dark!);
  await p.waitForTimeout(400);
  const after = await labelColour(p);
  if (!near(after, dark)) bad.push(`after a switch to the dark theme the axis labels are ${JSON.stringify(after)}, not its ${JSON.stringify(dark)}`);
  await p.screenshot({ path: join(out, 'light-to-dark-viewport.png') });
  return bad.map((b) => `theme change: ${b}`);
}

async function main(): Promise<string[]> {
  await bundleInto(out, ['stepper'], ['stepper.css']);
  const browser = await launchChromium();
  const problems: string[] = [];
  const long = '110100101101011010110010110111010010110101101011001011011101';
  const cases = [
    { name: 'dark', theme: THEMES.dark!, bits: '110100101101', heads: 4, layers: 1 },
    { name: 'light', theme: THEMES.light!, bits: '110100101101', heads: 4, layers: 1 },
    { name: 'hc', theme: THEMES.hc!, bits: '110100101101', heads: 4, layers: 1 },
    { name: 'hc-light', theme: THEMES.hcLight!, bits: '110100101101', heads: 4, layers: 1 },
    { name: 'wide', theme: THEMES.dark!, bits: '1101001011010110101100101101', heads: 16, layers: 2 },
    { name: 'wide-hc', theme: THEMES.hc!, bits: '1101001011010110101100101101', heads: 16, layers: 2, enlarge: true },
    { name: 'wide-light-compact', theme: THEMES.light!, bits: '1101001011010110101100101101', heads: 16, layers: 2, compact: true },
    // parity at n = 60: the answer is the 61st column of the state table and must be in view
    { name: 'long', theme: THEMES.dark!, bits: long, heads: 4, layers: 1, answerInView: true },
  ];
  for (const c of cases) {
    const html = join(out, `${c.name}.html`);
    writeFileSync(html, page(c.theme, fixtureMessages(c.bits, c.heads, c.layers)));
    const { page: p, errors } = await openHarness(browser, html);
    await p.waitForSelector('.st-heatmap', { timeout: 10000 });
    await p.keyboard.press('ArrowLeft'); // exercise keyboard navigation: one step back from T(n)
    await p.waitForTimeout(200);
    const label = await p.textContent('.st-step-label');
    if (c.name === 'dark') problems.push(...(await interactionChecks(p)));
    if (c.name === 'wide') problems.push(...(await deferredChecks(p)));
    if (c.name === 'wide') problems.push(...(await lifecycleChecks(p)));
    if ('enlarge' in c && c.enlarge) {
      await p.click('.st-head[data-head="2"]');
      await p.hover('.st-ruler .st-chip-tok >> nth=12');
    }
    if ('compact' in c && c.compact) await p.check('#st-compact');
    if ('answerInView' in c && c.answerInView) {
      await p.waitForTimeout(200);
      const inView = await p.evaluate(() => {
        const box = document.querySelector('.st-state-scroll')!.getBoundingClientRect();
        const cell = document.querySelector('.st-state .st-pos td.answer-start')!.getBoundingClientRect();
        return cell.left >= box.left && cell.right <= box.right;
      });
      if (!inView) problems.push(`${c.name}: the answer column is scrolled out of the state table`);
    }
    const overflow = await horizontalOverflow(p);
    if (overflow > 0) problems.push(`${c.name}: page overflows horizontally by ${overflow}px`);
    problems.push(...errors.map((e) => `${c.name}: ${e}`));
    await p.screenshot({ path: join(out, `${c.name}-viewport.png`) });
    await p.screenshot({ path: join(out, `${c.name}-full.png`), fullPage: true });
    console.log(`${c.name}: ${label} · overflow ${overflow}px · errors ${errors.length}`);
    if (c.name === 'light') problems.push(...(await themeChecks(p)));
    await p.close();
  }
  await browser.close();
  return problems;
}

runHarness(out, main);
