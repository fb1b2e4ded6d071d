// Visual check of the stepper webview outside VS Code: bundles webview/stepper.entry.ts, serves it
// from a static page whose acquireVsCodeApi stub answers like StepperPanel (view model on 'ready',
// attention slices on 'needAttention'), renders the synthetic fixture in headless Chromium at
// 1280x800 in a dark and a light VS Code theme, checks there is no horizontal overflow, and writes
// screenshots to .artifacts/stepper/.
// Run: node --import tsx test/visual/stepperScreenshot.ts   (needs /usr/bin/chromium)
import { mkdirSync, writeFileSync, copyFileSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import { buildStepperContent } from '../../src/core/view/stepperViewModel';
import { encodeFloat32Base64 } from '../../src/core/view/encodeAttention';
import { raspProgramSource } from '../../src/core/view/raspProgramSource';
import { buildStepperFixture } from '../support/stepperFixture';

const out = resolve('.artifacts/stepper');
mkdirSync(out, { recursive: true });

const THEMES: Record<string, Record<string, string>> = {
  dark: {
    'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', 'font-size': '13px', 'editor-font-family': '"DejaVu Sans Mono", monospace', 'editor-font-size': '13px',
    foreground: '#cccccc', 'editor-background': '#1f1f1f', 'editor-foreground': '#cccccc', descriptionForeground: '#9d9d9d', disabledForeground: '#6e6e6e',
    'editorWidget-background': '#202020', 'editorWidget-border': '#313131', focusBorder: '#0078d4', errorForeground: '#f85149',
    'charts-blue': '#3794ff', 'charts-green': '#89d185', 'charts-red': '#f14c4c', 'charts-yellow': '#cca700', 'charts-orange': '#d18616', 'charts-purple': '#b180d7',
    'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c', 'button-border': '#ffffff12',
    'settings-textInputBackground': '#313131', 'settings-textInputForeground': '#cccccc', 'settings-textInputBorder': '#3c3c3c',
    'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'input-placeholderForeground': '#989898',
    'settings-dropdownBackground': '#313131', 'settings-dropdownBorder': '#3c3c3c', 'settings-dropdownForeground': '#cccccc', 'settings-dropdownListBorder': '#454545',
    'textCodeBlock-background': '#2b2b2b', 'list-hoverBackground': '#2a2d2e', 'editorHoverWidget-background': '#202020', 'editorHoverWidget-border': '#454545',
    'textLink-foreground': '#4daafc', 'editorLineNumber-foreground': '#6e7681', 'editor-lineHighlightBackground': '#ffffff0f', 'editor-selectionHighlightBackground': '#add6ff26', 'widget-shadow': '#0000005c',
  },
  light: {
    'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', 'font-size': '13px', 'editor-font-family': '"DejaVu Sans Mono", monospace', 'editor-font-size': '13px',
    foreground: '#3b3b3b', 'editor-background': '#ffffff', 'editor-foreground': '#3b3b3b', descriptionForeground: '#717171', disabledForeground: '#a0a0a0',
    'editorWidget-background': '#f8f8f8', 'editorWidget-border': '#e5e5e5', focusBorder: '#005fb8', errorForeground: '#f85149',
    'charts-blue': '#1a85ff', 'charts-green': '#388a34', 'charts-red': '#e51400', 'charts-yellow': '#bf8803', 'charts-orange': '#d18616', 'charts-purple': '#652d90',
    'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc', 'button-border': '#0000001a',
    'settings-textInputBackground': '#ffffff', 'settings-textInputForeground': '#3b3b3b', 'settings-textInputBorder': '#cecece',
    'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece', 'input-placeholderForeground': '#767676',
    'settings-dropdownBackground': '#ffffff', 'settings-dropdownBorder': '#cecece', 'settings-dropdownForeground': '#3b3b3b', 'settings-dropdownListBorder': '#c8c8c8',
    'textCodeBlock-background': '#f3f3f3', 'list-hoverBackground': '#f2f2f2', 'editorHoverWidget-background': '#f8f8f8', 'editorHoverWidget-border': '#c8c8c8',
    'textLink-foreground': '#005fb8', 'editorLineNumber-foreground': '#6e7681', 'editor-lineHighlightBackground': '#0000000a', 'editor-selectionHighlightBackground': '#add6ff80', 'widget-shadow': '#00000029',
  },
};

function fixtureMessages(bits: string, heads: number, layers: number) {
  const f = buildStepperFixture({ bits, heads, layers, dModel: 16, wrongSteps: [3] });
  // the program side is the shipped task file run by the RASP-L interpreter; the model side is the synthetic fixture
  const program = raspProgramSource(readFileSync('models/tasks/parity.raspl', 'utf8'), 'models/tasks/parity.raspl').run(f.example.input, f.trace.steps);
  const content = buildStepperContent({ modelLabel: 'parity-fixture.onnx', modelPath: '/models/parity-fixture.onnx', inputText: bits, task: f.task, example: f.example, trace: f.trace, program });
  const attention: Record<string, string> = {};
  for (let t = 1; t <= f.trace.steps; t++) {
    for (let l = 0; l < f.trace.layers; l++) {
      attention[`${t}:${l}`] = encodeFloat32Base64(content.attention(t, l));
    }
  }
  return { viewModel: content.viewModel, attention };
}

function page(theme: Record<string, string>, data: unknown): string {
  const vars = Object.entries(theme).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ');
  // The same policy webviewHtml sets in VS Code (scripts only by nonce), so a CSP violation shows up here too.
  const csp = "default-src 'none'; style-src file: 'unsafe-inline'; img-src file: data:; font-src file:; script-src 'nonce-harness'";
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<style>:root { ${vars} } body { margin: 0; font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }</style>
<link rel="stylesheet" href="looplens.css"><link rel="stylesheet" href="stepper.css"></head>
<body><div id="app" aria-busy="true">Loading…</div>
<script nonce="harness">
  const DATA = ${JSON.stringify(data)};
  window.__sent = [];
  // sessionStorage stands in for VS Code's webview state, so a reload checks the restore path
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
  });
</script>
<script nonce="harness" src="stepper.js"></script></body></html>`;
}

type Page = Awaited<ReturnType<Awaited<ReturnType<typeof chromium.launch>>['newPage']>>;

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
  return bad.map((b) => `dark: ${b}`);
}

async function main(): Promise<void> {
  await esbuild.build({ entryPoints: ['webview/stepper.entry.ts'], outfile: join(out, 'stepper.js'), bundle: true, format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'warning' });
  copyFileSync('media/looplens.css', join(out, 'looplens.css'));
  copyFileSync('media/stepper.css', join(out, 'stepper.css'));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] });
  const problems: string[] = [];
  const cases = [
    { name: 'dark', theme: THEMES.dark!, bits: '110100101101', heads: 4, layers: 1 },
    { name: 'light', theme: THEMES.light!, bits: '110100101101', heads: 4, layers: 1 },
    { name: 'wide', theme: THEMES.dark!, bits: '1101001011010110101100101101', heads: 16, layers: 2 },
  ];
  for (const c of cases) {
    const html = join(out, `${c.name}.html`);
    writeFileSync(html, page(c.theme, fixtureMessages(c.bits, c.heads, c.layers)));
    const p = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    p.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await p.goto(`file://${html}`);
    await p.waitForSelector('.st-heatmap', { timeout: 10000 });
    await p.keyboard.press('ArrowLeft'); // exercise keyboard navigation: one step back from T(n)
    await p.waitForTimeout(200);
    const label = await p.textContent('.st-step-label');
    if (c.name === 'dark') problems.push(...(await interactionChecks(p)));
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 0) problems.push(`${c.name}: page overflows horizontally by ${overflow}px`);
    problems.push(...errors.map((e) => `${c.name}: ${e}`));
    await p.screenshot({ path: join(out, `${c.name}-viewport.png`) });
    await p.screenshot({ path: join(out, `${c.name}-full.png`), fullPage: true });
    console.log(`${c.name}: ${label} · overflow ${overflow}px · errors ${errors.length}`);
    await p.close();
  }
  await browser.close();
  if (problems.length) {
    console.error(problems.join('\n'));
    process.exit(1);
  }
  console.log(`screenshots in ${out}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
