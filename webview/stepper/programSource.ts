// The RASP-L step program beside the attention: numbered source lines, each assignment annotated
// with the variable's value at the answer position after the selected step; the line of the
// focused head's best selector and the hovered variable are highlighted. Line numbers open the file.
import type { Ctx, View } from './context';
import { el } from '../shared/dom';
import { section, setText } from './parts';

export interface ProgramSourceView extends View {
  highlight(line: number | null): void;
}

export function createProgramSource(parent: HTMLElement, ctx: Ctx): ProgramSourceView {
  const prog = ctx.vm.program;
  if (!prog) {
    parent.append(section('RASP-L program', 'st-program', el('p', { class: 'muted', text: 'No RASP-L program for this task: the model is shown alone.' })));
    return { update() {}, highlight() {} };
  }
  const caption = el('p', { class: 'st-caption' });
  const pre = el('div', { class: 'st-source', attrs: { role: 'list' } });
  const lines = prog.source.replace(/\n$/, '').split('\n');
  const lineEls: HTMLElement[] = [];
  const notes: HTMLElement[] = [];
  let inStep = false; // lines of the step: block, the part one loop iteration runs
  lines.forEach((text, i) => {
    const opensStep = /^step:\s*(#.*)?$/.test(text);
    if (/^\S/.test(text) && !opensStep) inStep = false;
    const kind = /^\s*#/.test(text) ? ' comment' : /^@/.test(text) ? ' directive' : inStep && text.trim() !== '' ? ' in-step' : opensStep ? ' step-head' : '';
    if (opensStep) inStep = true;
    const num = el('button', { class: 'st-lineno', text: String(i + 1), title: `Open ${prog.file} at line ${i + 1}` });
    num.addEventListener('click', () => ctx.actions.openProgram(i + 1));
    const note = el('span', { class: 'st-line-note' });
    notes.push(note);
    const line = el('div', { class: `st-line${kind}`, attrs: { role: 'listitem' } }, num, el('code', { text: text || ' ' }), note);
    lineEls.push(line);
    pre.append(line);
  });
  const card = parent.appendChild(section(`RASP-L program · ${prog.file}`, 'st-program', caption, pre));
  let hovered: number | null = null;
  let focusLine: number | null = null;
  const paint = () => lineEls.forEach((e, i) => {
    e.classList.toggle('hovered', hovered === i + 1);
    e.classList.toggle('selector', focusLine === i + 1);
  });
  return {
    element: card,
    update(c) {
      const step = Math.min(c.ui.step, prog.steps);
      const at = c.vm.tokens.findIndex((t) => t.scored);
      setText(caption, `The marked step: block is one loop iteration. Right: each variable after step ${step} at position ${at} (${c.vm.tokens[at]?.label ?? '?'}), where the answer starts.`);
      const byLine = new Map<number, string[]>();
      for (const v of prog.variables) {
        if (!v.line) continue;
        const val = v.values[step]?.[at];
        byLine.set(v.line, [...(byLine.get(v.line) ?? []), `${v.name} = ${val ?? '–'}`]);
      }
      notes.forEach((n, i) => setText(n, byLine.get(i + 1)?.join(', ') ?? ''));
      focusLine = null;
      if (c.ui.focusHead !== null) {
        const m = c.vm.compare?.headMatches.find((h) => h.layer === c.ui.layer && h.head === c.ui.focusHead);
        const sel = m && m.best.selector >= 0 ? prog.selectors[m.best.selector] : undefined;
        focusLine = sel?.line ?? null;
      }
      paint();
    },
    highlight(line) {
      hovered = line;
      paint();
    },
  };
}
