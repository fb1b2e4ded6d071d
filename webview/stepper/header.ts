// Title, what the example is, and the input box that asks the host to trace another input.
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { Ctx, View } from './context';
import { el } from '../shared/dom';
import { exportBar } from '../shared/exportBar';

export interface HeaderView extends View {
  setStatus(kind: 'busy' | 'error' | null, message?: string): void;
}

export function createHeader(parent: HTMLElement, ctx: Ctx): HeaderView {
  const { vm } = ctx;
  const lengths = vm.task.lengths.map((l) => `${l.name} = ${l.value}`).join(', ');
  const field = el('vscode-textfield', { attrs: { id: 'st-input', placeholder: 'Another input…', 'aria-label': `Input for ${vm.task.name}` } }) as HTMLElement & { value: string };
  field.value = vm.origin.inputText;
  const run = el('vscode-button', { text: 'Trace', attrs: { id: 'st-run', title: 'Run the model and the program on this input' } });
  const status = el('span', { class: 'st-status', attrs: { 'aria-live': 'polite' } });
  const submit = () => {
    const text = field.value.trim();
    if (text) ctx.actions.setInput(text);
  };
  run.addEventListener('click', submit);
  field.addEventListener('keydown', (e) => {
    if ((e as KeyboardEvent).key === 'Enter') submit();
  });
  parent.append(
    el(
      'header',
      { class: 'st-header' },
      el(
        'div',
        { class: 'st-heading' },
        el('h1', { text: vm.title }),
        el(
          'p',
          { class: 'st-sub' },
          el('span', { text: `${vm.task.gloss} · ${lengths}` }),
          vm.task.targetText !== null ? el('span', { class: 'st-chip', text: `answer ${vm.task.targetText || '(empty)'}` }) : null,
          el('span', { class: 'st-chip', text: `${vm.model.layers} layer${vm.model.layers > 1 ? 's' : ''} × ${vm.model.heads} heads, d = ${vm.model.dModel}` }),
        ),
      ),
      el(
        'div',
        { class: 'st-input' },
        field,
        run,
        exportBar([{ label: 'Export trace (JSON)', title: 'Every step’s logits, attention and hidden state, the input row and the program’s variables, as one JSON file for a notebook (fields: README, “Exporting”)', run: () => ctx.actions.exportData('trace', 'json') }]),
        status,
      ),
    ),
  );
  return {
    update() {},
    setStatus(kind, message) {
      status.className = `st-status ${kind ?? ''}`;
      status.textContent = message ?? '';
      run.toggleAttribute('disabled', kind === 'busy');
    },
  };
}
