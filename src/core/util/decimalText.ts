// A number as a person types it in an option or a form field: decimal or scientific notation only,
// so that "0x10", "Infinity", " " or "1e" are refused rather than read by Number()'s looser rules.
// Shared by the CLI's options and the extension's recipe form.

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** The value of `text` (surrounding white space ignored), or null when it is not such a number. */
export function parseDecimal(text: string): number | null {
  const t = text.trim();
  if (!DECIMAL.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}
