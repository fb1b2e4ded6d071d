// The first picks of "Train Looped Model" that several tests share: the parity task and a recipe.
import type { VsCode } from './vscode';
import { pickQuickItem } from './quickInput';

/** The recipe rows of the task's preset pick, by what each says of itself. */
const PRESET_ROWS = { cpu: 'minutes to hours on a laptop CPU', tiny: 'under a minute', Custom: 'Custom recipe' } as const;

/** Runs Train Looped Model and picks parity and `preset`: the review list (or the custom recipe page) comes next. */
export async function trainParity(vs: VsCode, preset: keyof typeof PRESET_ROWS): Promise<void> {
  await vs.runCommand('LoopLens: Train Looped Model');
  await pickQuickItem(vs, 'parity', 'Parity');
  await pickQuickItem(vs, preset, PRESET_ROWS[preset]);
}
