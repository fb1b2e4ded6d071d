// What the visual checks of the webviews share: VS Code's theme variables (dark and light), a static
// page with the same script policy as webviewHtml (scripts only by nonce, so a CSP violation shows
// up here too) and an acquireVsCodeApi stub, the bundling, and headless Chromium with the checks
// every page gets (script errors, horizontal overflow).
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';

/** The --vscode-* variables VS Code sets in a webview, for its default dark and light themes and its dark and light high-contrast themes. */
export const THEMES: Record<string, Record<string, string>> = {
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
    'progressBar-background': '#0078d4', 'inputValidation-errorBackground': '#5a1d1d',
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
    'progressBar-background': '#005fb8', 'inputValidation-errorBackground': '#f2dede',
    'textLink-foreground': '#005fb8', 'editorLineNumber-foreground': '#6e7681', 'editor-lineHighlightBackground': '#0000000a', 'editor-selectionHighlightBackground': '#add6ff80', 'widget-shadow': '#00000029',
  },
  hc: {
    'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', 'font-size': '13px', 'editor-font-family': '"DejaVu Sans Mono", monospace', 'editor-font-size': '13px',
    foreground: '#ffffff', 'editor-background': '#000000', 'editor-foreground': '#ffffff', descriptionForeground: '#ffffffb3', disabledForeground: '#a5a5a5',
    'editorWidget-background': '#0c141f', 'editorWidget-border': '#6fc3df', focusBorder: '#f38518', contrastBorder: '#6fc3df', errorForeground: '#f48771',
    'charts-blue': '#3794ff', 'charts-green': '#89d185', 'charts-red': '#f14c4c', 'charts-yellow': '#cca700', 'charts-orange': '#d18616', 'charts-purple': '#b180d7',
    'button-background': '#000000', 'button-foreground': '#ffffff', 'button-hoverBackground': '#000000', 'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff', 'button-secondaryHoverBackground': '#000000', 'button-border': '#6fc3df',
    'settings-textInputBackground': '#000000', 'settings-textInputForeground': '#ffffff', 'settings-textInputBorder': '#6fc3df',
    'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df', 'input-placeholderForeground': '#ffffffb3',
    'settings-dropdownBackground': '#000000', 'settings-dropdownBorder': '#6fc3df', 'settings-dropdownForeground': '#ffffff', 'settings-dropdownListBorder': '#6fc3df',
    'textCodeBlock-background': '#000000', 'list-hoverBackground': '#000000', 'editorHoverWidget-background': '#0c141f', 'editorHoverWidget-border': '#6fc3df',
    'progressBar-background': '#6fc3df', 'inputValidation-errorBackground': '#000000',
    'textLink-foreground': '#21a6ff', 'editorLineNumber-foreground': '#ffffff', 'editor-lineHighlightBackground': '#00000000', 'editor-selectionHighlightBackground': '#f3851866', 'widget-shadow': '#00000000',
  },
  hcLight: {
    'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif', 'font-size': '13px', 'editor-font-family': '"DejaVu Sans Mono", monospace', 'editor-font-size': '13px',
    foreground: '#292929', 'editor-background': '#ffffff', 'editor-foreground': '#292929', descriptionForeground: '#292929', disabledForeground: '#7f7f7f',
    'editorWidget-background': '#ffffff', 'editorWidget-border': '#0f4a85', focusBorder: '#006bbd', contrastBorder: '#0f4a85', errorForeground: '#b5200d',
    'charts-blue': '#0f4a85', 'charts-green': '#374e06', 'charts-red': '#b5200d', 'charts-yellow': '#895503', 'charts-orange': '#895503', 'charts-purple': '#652d90',
    'button-background': '#0f4a85', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0f4a85', 'button-secondaryBackground': '#ffffff', 'button-secondaryForeground': '#292929', 'button-secondaryHoverBackground': '#ffffff', 'button-border': '#0f4a85',
    'settings-textInputBackground': '#ffffff', 'settings-textInputForeground': '#292929', 'settings-textInputBorder': '#0f4a85',
    'input-background': '#ffffff', 'input-foreground': '#292929', 'input-border': '#0f4a85', 'input-placeholderForeground': '#292929b3',
    'settings-dropdownBackground': '#ffffff', 'settings-dropdownBorder': '#0f4a85', 'settings-dropdownForeground': '#292929', 'settings-dropdownListBorder': '#0f4a85',
    'textCodeBlock-background': '#f2f2f2', 'list-hoverBackground': '#ffffff', 'editorHoverWidget-background': '#ffffff', 'editorHoverWidget-border': '#0f4a85',
    'progressBar-background': '#0f4a85', 'inputValidation-errorBackground': '#ffffff',
    'textLink-foreground': '#0f4a85', 'editorLineNumber-foreground': '#292929', 'editor-lineHighlightBackground': '#00000000', 'editor-selectionHighlightBackground': '#0f4a8533', 'widget-shadow': '#00000000',
  },
};

export interface HarnessPage {
  theme: Record<string, string>;
  /** Stylesheets from media/, after the shared looplens.css. */
  stylesheets: string[];
  /** JavaScript run before the bundle; it must define window.acquireVsCodeApi. */
  stub: string;
  /** The bundle's file name without .js. */
  script: string;
}

export function harnessHtml(h: HarnessPage): string {
  const vars = Object.entries(h.theme).map(([k, v]) => `--vscode-${k}: ${v};`).join(' ');
  const csp = "default-src 'none'; style-src file: 'unsafe-inline'; img-src file: data:; font-src file:; script-src 'nonce-harness'";
  const links = ['looplens.css', ...h.stylesheets].map((f) => `<link rel="stylesheet" href="${f}">`).join('');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<style>:root { ${vars} } body { margin: 0; font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }</style>
${links}</head>
<body><div id="app" aria-busy="true">Loading…</div>
<script nonce="harness">
  window.__sent = [];
${h.stub}
</script>
<script nonce="harness" src="${h.script}.js"></script></body></html>`;
}

/** Bundles webview entries (name → webview/NAME.entry.ts) into `out` and copies looplens.css and `stylesheets` beside them. */
export async function bundleInto(out: string, names: string[], stylesheets: string[]): Promise<void> {
  mkdirSync(out, { recursive: true });
  const entryPoints = Object.fromEntries(names.map((n) => [n, `webview/${n}.entry.ts`]));
  await esbuild.build({ entryPoints, outdir: out, bundle: true, format: 'iife', platform: 'browser', target: 'es2022', logLevel: 'warning' });
  for (const f of ['looplens.css', ...stylesheets]) copyFileSync(join('media', f), join(out, f));
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] });
}

/** Opens a harness file; `errors` collects the page's script errors and console errors. */
export async function openHarness(browser: Browser, file: string, width = 1280): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 800 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`file://${file}`);
  return { page, errors };
}

/** How many pixels the page is wider than the viewport (0 when it fits). */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Runs a harness: prints the problems and exits 1 if there are any, else says where the screenshots are. */
export function runHarness(out: string, check: () => Promise<string[]>): void {
  check()
    .then((problems) => {
      if (problems.length) {
        console.error(problems.join('\n'));
        process.exit(1);
      }
      console.log(`screenshots in ${out}`);
    })
    .catch((e) => {
      console.error(e);
      process.exit(1);
    });
}
