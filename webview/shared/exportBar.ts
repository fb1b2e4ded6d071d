// The small export links of a card (CSV · JSON · PNG · SVG), and the line that says where the last
// export went. Styles: media/looplens.css (.ex-bar, .ex-status).
import type { ExportResult } from '../../src/protocol/export';
import { el } from './dom';

export interface ExportItem {
  label: string;
  title: string;
  run(): void | Promise<void>;
}

/** A row of link-like buttons, one per item; a failing item says why in the status line. */
export function exportBar(items: ExportItem[], status?: ExportStatus): HTMLElement {
  const bar = el('span', { class: 'ex-bar', attrs: { role: 'group', 'aria-label': 'Export' } });
  for (const it of items) {
    const b = el('button', { class: 'ex-link', text: it.label, title: it.title, attrs: { type: 'button' } });
    b.addEventListener('click', (ev) => {
      ev.stopPropagation();
      // run now; a synchronous throw (nothing drawn to export yet) is reported like a rejection
      new Promise<void>((resolve) => resolve(it.run())).catch((e: unknown) => status?.show({ type: 'exportFailed', message: (e as Error).message }));
    });
    bar.append(b);
  }
  return bar;
}

export interface ExportStatus {
  element: HTMLElement;
  show(r: ExportResult): void;
}

/** One polite status line per page for export results. */
export function exportStatus(): ExportStatus {
  const line = el('p', { class: 'ex-status', attrs: { 'aria-live': 'polite', id: 'export-status' } });
  line.hidden = true;
  return {
    element: line,
    show(r) {
      line.hidden = false;
      line.classList.toggle('error', r.type === 'exportFailed');
      line.textContent = r.type === 'exported' ? `Exported to ${r.file}` : r.type === 'exportCancelled' ? 'Export cancelled.' : `Export failed: ${r.message}`;
    },
  };
}

/** Whether a message from the host is an export result. */
export function isExportResult(m: { type?: unknown } | null | undefined): m is ExportResult {
  return !!m && (m.type === 'exported' || m.type === 'exportCancelled' || m.type === 'exportFailed');
}
