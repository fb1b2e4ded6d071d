// The token-aligned table at the selected step: one column per position of the row; rows for the
// input, what the model decodes (shaded by its confidence), the target, then every RASP-L variable
// after the same number of program steps and the program's own read-out of the answer.
// The table is built once per view model; a step change only rewrites the cells. On long rows the
// answer stays in view: the table scrolls to it when it opens, and "answer ⇥" / "⇤ start" jump.
import type { Ctx, View } from './context';
import { el } from '../shared/dom';
import { exportBar } from '../shared/exportBar';
import { fmt, section, setText } from './parts';

export function createStateTable(parent: HTMLElement, first: Ctx): View {
  let ctx = first;
  const caption = el('p', { class: 'st-caption' });
  const scroller = el('div', { class: 'st-scroll-x st-state-scroll' });
  const vm = first.vm;
  const answerAt = vm.tokens.findIndex((t) => t.scored);
  const jumpAnswer = el('button', { class: 'ex-link', text: 'answer ⇥', title: 'Scroll to where the answer starts', attrs: { type: 'button' } });
  const jumpStart = el('button', { class: 'ex-link', text: '⇤ start', title: 'Scroll to the start of the row', attrs: { type: 'button' } });
  const exports = exportBar([
    { label: 'CSV', title: 'This table at this step as CSV', run: () => ctx.actions.exportData('state', 'csv') },
    { label: 'JSON', title: 'The same as JSON records', run: () => ctx.actions.exportData('state', 'json') },
    { label: 'steps CSV', title: 'One row per loop step: answer, exact match, score, confidence, agreement', run: () => ctx.actions.exportData('steps', 'csv') },
    { label: 'steps JSON', title: 'The same as JSON records', run: () => ctx.actions.exportData('steps', 'json') },
  ]);
  const card = section('State after the step', 'st-state', caption, scroller);
  card.querySelector('h2')!.replaceWith(el('div', { class: 'card-head' }, el('h2', { text: 'State after the step' }), el('span', { class: 'ex-bar' }, jumpStart, jumpAnswer), exports));
  parent.append(card);

  const sym = (id: number | null | undefined) => (id === null || id === undefined ? '' : (ctx.vm.model.symbols[id] ?? `<${id}>`));
  const prog = vm.program;
  const table = el('table', { class: 'st-tokens' });
  const row = (label: string, cls = '', title = '') => {
    const tr = el('tr', { class: cls }, el('th', { text: label, title, attrs: { scope: 'row' } }));
    table.append(tr);
    return tr;
  };
  const pos = row('position', 'st-pos');
  const input = row('input', 'st-input-row');
  for (const t of vm.tokens) {
    pos.append(el('td', { text: String(t.position), class: t.position === answerAt ? 'answer-start' : '' }));
    input.append(el('td', { text: t.label, class: t.scored ? 'scored' : '' }));
  }
  const model = row('model', 'st-model', 'argmax of the read-out at this step');
  const modelHead = model.firstElementChild as HTMLElement;
  const modelCells = vm.tokens.map((t, i) => {
    const td = el('td', { class: t.scored ? 'scored' : 'unscored' });
    td.addEventListener('mousemove', (ev) => {
      const s = ctx.vm.steps[ctx.ui.step - 1]!;
      const c = s.confidence[i]!;
      const ps = prog ? Math.min(ctx.ui.step, prog.steps) : 0;
      const progAns = prog && prog.answers[ps]?.[i];
      const lens = ctx.vm.lens;
      const top = lens.topIds[ctx.ui.step - 1]![i]!.map((id, j) => `${sym(id)} ${fmt.p3(lens.topProbs[ctx.ui.step - 1]![i]![j]!)}`).join(' · ');
      ctx.tooltip.show(ev, [
        `position ${i} · input ${t.label}`,
        `model ${sym(s.decoded[i])} (p = ${fmt.p3(c)})`,
        `top: ${top}`,
        t.target !== null ? `target ${t.target}` : 'not scored',
        progAns !== null && progAns !== undefined ? `program ${sym(progAns)}` : '',
      ].filter(Boolean));
    });
    td.addEventListener('mouseleave', () => ctx.tooltip.hide());
    model.append(td);
    return td;
  });
  const target = row('target', 'st-target');
  for (const t of vm.tokens) target.append(el('td', { text: t.target ?? '' }));
  let sepHead: HTMLElement | null = null;
  const varCells: HTMLElement[][] = [];
  let answerCells: HTMLElement[] = [];
  if (prog) {
    // the label sits in a sticky span: the cell spans the whole row, so only its content can stay in view
    sepHead = el('span', { class: 'st-sep-label' });
    const sep = el('tr', { class: 'st-sep' }, el('th', { attrs: { colspan: vm.tokens.length + 1, scope: 'rowgroup' } }, sepHead));
    table.append(sep);
    for (const v of prog.variables) {
      const tr = row(v.name, 'st-var', v.line ? `${prog.file}:${v.line}` : '');
      varCells.push(vm.tokens.map(() => tr.appendChild(el('td'))));
      tr.addEventListener('mouseenter', () => ctx.actions.highlightLine(v.line));
      tr.addEventListener('mouseleave', () => ctx.actions.highlightLine(null));
    }
    const ans = row('answer', 'st-prog-answer', 'the task’s answer read out of the program state');
    answerCells = vm.tokens.map(() => ans.appendChild(el('td')));
  }
  scroller.append(table);

  const scrollTo = (i: number) => {
    const cell = pos.children[i + 1] as HTMLElement | undefined;
    const head = pos.firstElementChild as HTMLElement;
    if (cell) scroller.scrollLeft = Math.max(0, cell.offsetLeft - head.offsetWidth - 8);
  };
  jumpAnswer.addEventListener('click', () => scrollTo(answerAt));
  jumpStart.addEventListener('click', () => (scroller.scrollLeft = 0));
  let scrolledFor = -1;

  return {
    element: card,
    update(c) {
      ctx = c;
      const s = c.vm.steps[c.ui.step - 1]!;
      const p = c.palette;
      const progStep = prog ? Math.min(c.ui.step, prog.steps) : 0;
      setText(
        caption,
        `Model after ${c.ui.step} loop step${c.ui.step > 1 ? 's' : ''}` +
        (prog ? ` beside the RASP-L program after ${progStep} step${progStep === 1 ? '' : 's'}${progStep < c.ui.step ? ' (the program trace ends there)' : ''}` : '') +
          '. Shaded cells: the model’s confidence; outlined: differs from the target; changed program values are bold.',
      );
      setText(modelHead, `model · step ${c.ui.step}`);
      // only what changed is written: fewer style invalidations per step on long rows
      c.vm.tokens.forEach((t, i) => {
        const td = modelCells[i]!;
        const conf = s.confidence[i]!;
        const label = sym(s.decoded[i]);
        setText(td, label);
        td.classList.toggle('wrong', t.scored && t.target !== null && label !== t.target);
        if (t.scored) {
          const bg = p.heat(conf);
          if (td.dataset.bg !== bg) {
            td.dataset.bg = bg;
            td.style.background = bg;
            td.style.color = p.heatText(conf);
          }
        }
      });
      if (prog) {
        setText(sepHead!, `RASP-L · step ${progStep}`);
        prog.variables.forEach((v, k) => {
          const now = v.values[progStep] ?? [];
          const before = progStep > 0 ? (v.values[progStep - 1] ?? []) : now;
          varCells[k]!.forEach((td, i) => {
            const val = now[i];
            setText(td, val === null || val === undefined ? '' : String(val));
            td.classList.toggle('changed', val !== before[i]);
          });
        });
        const a = prog.answers[progStep] ?? [];
        answerCells.forEach((td, i) => {
          const id = a[i];
          const differs = id !== null && id !== undefined && id !== s.decoded[i];
          setText(td, sym(id));
          td.classList.toggle('differs', differs);
          const title = differs ? 'the model decodes something else here' : '';
          if (td.title !== title) td.title = title;
        });
      }
      // a long row opens scrolled to its answer (once per layout: the user's scrolling is kept while stepping)
      if (scrolledFor !== c.layout) {
        scrolledFor = c.layout;
        requestAnimationFrame(() => {
          if (scroller.scrollWidth > scroller.clientWidth + 4) scrollTo(Math.max(0, answerAt - 2));
        });
      }
    },
  };
}
