// What probe:recipes reads from `looplens train` output: the oracle learning curve that --eval-every
// prints ("step 500: n=4 oracle 92.2% adaptive 92.2%, n=8 ..."), and the training time of a finished
// run ("trained 3000 steps in 3.9 min, ..."). A resumed run's log is the interrupted run's output
// followed by the resumed one's, so a step evaluated by both counts once.

const TRAINED = /trained \d+ steps in ([\d.]+) min/g;

/** The oracle accuracy (%, rounded) at `length` at each evaluated step, in step order. */
export function learningCurve(out: string, length: number | string): string[] {
  const byStep = new Map<number, string>();
  for (const m of out.matchAll(/^step (\d+): (.*)$/gm)) {
    // n_b for a two-length task (multiplication), should a log name it so
    const at = new RegExp(`n(?:_b)?=${length} oracle ([\\d.]+)%`).exec(m[2]!);
    if (at) byStep.set(Number(m[1]), `${Number(at[1]).toFixed(0)}`);
  }
  return [...byStep.values()];
}

/** Minutes the finished training took (the trainer counts a resumed run's earlier part too), else null. */
export function trainMinutes(out: string): number | null {
  const all = [...out.matchAll(TRAINED)];
  return all.length === 0 ? null : Number(all[all.length - 1]![1]);
}

/** Whether the output shows a training that ran to its last step. */
export function trainingFinished(out: string): boolean {
  return trainMinutes(out) !== null;
}

/** The line a failure is reported with: the output's last. */
export function lastLine(out: string): string {
  return out.trim().split('\n').slice(-1)[0] ?? '';
}
