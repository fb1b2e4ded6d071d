// The token-aligned table at the selected step: one column per position of the row; rows for the
// input, what the model decodes (shaded by its confidence), the target, then every RASP-L variable
// after the same number of program steps and the program's own read-out of the answer.
import type { Ctx, View } from './context';
import { el } from '../shared/dom';
import { fmt, section } from './parts';

export function createStateTable(parent: HTMLElement): View {
  const caption = el('p', { class: 'st-caption' });
  const scroller = el('div', { class: 'st-scroll-x' });
  parent.append(section('State after the step', 'st-state', caption, scroller));
  return {
    update(c) {
      render(scroller, caption, c);
    },
  };
}

function render(scroller: HTMLElement, caption: HTMLElement, ctx: Ctx): void {
  const { vm, ui, palette: p, tooltip } = ctx;
  const s = vm.steps[ui.step - 1]!;
  const sym = (id: number | null | undefined) => (id === null || id === undefined ? '' : (vm.model.symbols[id] ?? `<${id}>`));
  const prog = vm.program;
  const progStep = prog ? Math.min(ui.step, prog.steps) : 0;
  caption.textContent =
    `Model after ${ui.step} loop step${ui.step > 1 ? 's' : ''}` +
    (prog ? ` beside the RASP-L program after ${progStep} step${progStep === 1 ? '' : 's'}${progStep < ui.step ? ' (the program trace ends there)' : ''}` : '') +
    '. Shaded cells: the model’s confidence; outlined: differs from the target; changed program values are bold.';

  const table = el('table', { class: 'st-tokens' });
  const row = (label: string, cls = '', title = '') => {
    const tr = el('tr', { class: cls }, el('th', { text: label, title, attrs: { scope: 'row' } }));
    table.append(tr);
    return tr;
  };
  const pos = row('position', 'st-pos');
  const input = row('input', 'st-input-row');
  for (const t of vm.tokens) {
    pos.append(el('td', { text: String(t.position) }));
    input.append(el('td', { text: t.label, class: t.scored ? 'scored' : '' }));
  }

  const model = row(`model · step ${ui.step}`, 'st-model', 'argmax of the read-out at this step');
  vm.tokens.forEach((t, i) => {
    const c = s.confidence[i]!;
    const label = sym(s.decoded[i]);
    const wrong = t.scored && t.target !== null && label !== t.target;
    const td = el('td', { text: label, class: `${t.scored ? 'scored' : 'unscored'}${wrong ? ' wrong' : ''}` });
    if (t.scored) {
      td.style.background = p.heat(c);
      td.style.color = p.heatText(c);
    }
    const progAns = prog && prog.answers[progStep]?.[i];
    td.addEventListener('mousemove', (ev) =>
      tooltip.show(ev, [
        `position ${i} · input ${t.label}`,
        `model ${label} (p = ${fmt.p3(c)})`,
        t.target !== null ? `target ${t.target}` : 'not scored',
        progAns !== null && progAns !== undefined ? `program ${sym(progAns)}` : '',
      ].filter(Boolean)),
    );
    td.addEventListener('mouseleave', () => tooltip.hide());
    model.append(td);
  });
  const target = row('target', 'st-target');
  for (const t of vm.tokens) target.append(el('td', { text: t.target ?? '' }));

  if (prog) {
    table.append(el('tr', { class: 'st-sep' }, el('th', { text: `RASP-L · step ${progStep}`, attrs: { colspan: vm.tokens.length + 1, scope: 'rowgroup' } })));
    for (const v of prog.variables) {
      const tr = row(v.name, 'st-var', v.line ? `${prog.file}:${v.line}` : '');
      const now = v.values[progStep] ?? [];
      const before = progStep > 0 ? (v.values[progStep - 1] ?? []) : now;
      vm.tokens.forEach((_, i) => {
        const val = now[i];
        const changed = val !== before[i];
        tr.append(el('td', { text: val === null || val === undefined ? '' : String(val), class: changed ? 'changed' : '' }));
      });
      tr.addEventListener('mouseenter', () => ctx.actions.highlightLine(v.line));
      tr.addEventListener('mouseleave', () => ctx.actions.highlightLine(null));
    }
    const ans = row('answer', 'st-prog-answer', 'the task’s answer read out of the program state');
    const a = prog.answers[progStep] ?? [];
    vm.tokens.forEach((_, i) => {
      const id = a[i];
      const differs = id !== null && id !== undefined && id !== s.decoded[i];
      ans.append(el('td', { text: sym(id), class: differs ? 'differs' : '', title: differs ? 'the model decodes something else here' : '' }));
    });
  }
  scroller.replaceChildren(table);
}
