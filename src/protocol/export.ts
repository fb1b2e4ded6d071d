// Exports from the panels. A page asks its host to save one of its tables (the host builds it with
// core from its own state, so the numbers are the ones it computed) or sends a drawing it made (an
// SVG's text, or a PNG's base64); the host asks where to save and answers with the file or why not.
// Imported by both sides.

export type DataFormat = 'csv' | 'json';
export type ImageFormat = 'svg' | 'png';

/** Save a table the host builds: `table` is one of the panel's table names; step and layer pick the stepper's slice. */
export interface ExportDataRequest {
  type: 'exportData';
  table: string;
  format: DataFormat;
  step?: number;
  layer?: number;
}

/** Save a drawing: `data` is SVG text for svg, base64 of the PNG bytes for png; `name` suggests the file name. */
export interface ExportImageRequest {
  type: 'exportImage';
  name: string;
  format: ImageFormat;
  data: string;
}

export type ExportRequest = ExportDataRequest | ExportImageRequest;

/** The host's answer: saved (file), cancelled by the user, or failed (message). */
export type ExportResult = { type: 'exported'; file: string } | { type: 'exportCancelled' } | { type: 'exportFailed'; message: string };

/** Largest drawing a page may send (characters of SVG text or base64). */
export const MAX_EXPORT_IMAGE_CHARS = 48 * 1024 * 1024;

/** Why a message claiming to be an export request is not a valid one for a panel with these tables; null when it is. */
export function exportRequestProblem(m: unknown, tables: readonly string[]): string | null {
  const r = m as { type?: unknown; table?: unknown; format?: unknown; step?: unknown; layer?: unknown; name?: unknown; data?: unknown } | null;
  if (!r || typeof r !== 'object') return 'not an object';
  if (r.type === 'exportData') {
    if (typeof r.table !== 'string' || !tables.includes(r.table)) return `unknown table ${JSON.stringify(r.table)}`;
    if (r.format !== 'csv' && r.format !== 'json') return `unknown data format ${JSON.stringify(r.format)}`;
    for (const k of ['step', 'layer'] as const) if (r[k] !== undefined && (!Number.isInteger(r[k]) || (r[k] as number) < 0)) return `${k} must be a non-negative integer`;
    return null;
  }
  if (r.type === 'exportImage') {
    if (typeof r.name !== 'string' || r.name.length === 0 || r.name.length > 120) return 'an image needs a name of 1..120 characters';
    if (r.format !== 'svg' && r.format !== 'png') return `unknown image format ${JSON.stringify(r.format)}`;
    if (typeof r.data !== 'string' || r.data.length === 0 || r.data.length > MAX_EXPORT_IMAGE_CHARS) return 'the image data is missing or too large';
    if (r.format === 'svg' && !/^\s*(<\?xml[^>]*>\s*)?<svg[\s>]/.test(r.data)) return 'svg data must be an <svg> document';
    if (r.format === 'png' && !/^[A-Za-z0-9+/]+=*$/.test(r.data)) return 'png data must be base64';
    return null;
  }
  return `not an export request: ${JSON.stringify(r.type)}`;
}

/** A file name made of the page's suggestion: letters, digits, dot, dash and underscore only. */
export function exportFileName(name: string, format: string): string {
  const base = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 100) || 'looplens-export';
  return `${base}.${format}`;
}
