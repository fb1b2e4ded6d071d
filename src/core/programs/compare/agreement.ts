// Per-step agreement between the learned step and the program's step: at loop step t, the share of
// scored positions where the model's decoded token equals the answer the RASP-L program reads out
// after t steps. Step t of the model is compared with step t of the program (same loop count).

export interface AgreementPoint {
  step: number;
  matched: number;
  total: number;
  fraction: number;
}

/**
 * decoded[t - 1]: the model's argmax row after t steps; answers[s]: the program's read-out after s steps
 * (s = 0 .. programSteps). Compares steps 1 .. min(model steps, program steps) that have a read-out,
 * on positions where `mask` is set and both rows have a value.
 */
export function answerAgreement(decoded: ArrayLike<number>[], answers: (ArrayLike<number> | null)[], mask: ArrayLike<number | boolean>): AgreementPoint[] {
  const steps = Math.min(decoded.length, answers.length - 1);
  const out: AgreementPoint[] = [];
  for (let t = 1; t <= steps; t++) {
    const m = decoded[t - 1]!;
    const p = answers[t];
    if (!p) continue; // no read-out at this step
    let matched = 0;
    let total = 0;
    const n = Math.min(mask.length, m.length, p.length);
    for (let i = 0; i < n; i++) {
      if (!mask[i]) continue;
      total++;
      if (m[i] === p[i]) matched++;
    }
    out.push({ step: t, matched, total, fraction: total === 0 ? 0 : matched / total });
  }
  return out;
}

/** Exact match of one row against another over scored positions (every scored position equal). */
export function exactMatch(row: ArrayLike<number>, reference: ArrayLike<number>, mask: ArrayLike<number | boolean>): boolean {
  for (let i = 0; i < mask.length; i++) if (mask[i] && row[i] !== reference[i]) return false;
  return true;
}
