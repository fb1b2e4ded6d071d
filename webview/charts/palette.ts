// Series colours shared by the panels' charts: CSS classes of media/panels.css (c-blue, …) that map
// to VS Code's chart theme colours, so every theme, high contrast included, picks its own.

/** Colours of series drawn one per test length, in the lengths' order (Training and Evaluation panels alike). */
export const LENGTH_COLORS = ['c-blue', 'c-orange', 'c-green', 'c-purple', 'c-yellow', 'c-red'] as const;

/** The colour of the i-th length, and whether its line is dashed: past the palette, the colours come round again dashed. */
export function lengthStyle(i: number): { color: string; dashed: boolean } {
  return { color: LENGTH_COLORS[i % LENGTH_COLORS.length]!, dashed: Math.floor(i / LENGTH_COLORS.length) % 2 === 1 };
}
