// The model editor's page: a LoopLens model's overview (task, architecture, recipe, record, loss
// curve, evaluation, and its RASP-L program for a custom task) with Step Through / Debug /
// Evaluate; what another ONNX file is; or why a file cannot be read. The host sends the page whole.
import type { ForeignModelPage, Fact, LoopLensModelPage, ModelPage, ModelPageToHost, ModelPageToWebview, UnreadableModelPage } from '../../src/protocol/modelPage';
import { el } from '../shared/dom';
import { ruleCells } from '../shared/evaluationCells';
import { button, card, panelHeader } from '../shared/panelParts';
import { hostApi } from '../shared/vscodeApi';
import { drawChart } from '../charts/lineChart';
import { fmt } from '../shared/format';

function facts(id: string, list: Fact[]): HTMLElement {
  return el('dl', { class: 'mp-facts', attrs: { id } }, ...list.flatMap((f) => [el('dt', { text: f.label }), el('dd', { text: f.value })]));
}

function factCard(id: string, heading: string, caption: string, list: Fact[]): HTMLElement {
  const c = card(heading, caption, facts(`${id}-facts`, list));
  c.id = id;
  return c;
}

export function startModelPage(root: HTMLElement): void {
  const host = hostApi<ModelPageToHost, ModelPage>((saved) => (saved && typeof saved === 'object' && 'kind' in saved ? (saved as ModelPage) : null));
  const post = (type: ModelPageToHost['type']) => host.postMessage({ type } as ModelPageToHost);
  let page: ModelPage | null = host.savedState();
  let redraw: (() => void) | undefined;

  const draw = () => {
    if (!page) return;
    root.removeAttribute('aria-busy');
    if (page.kind === 'looplens') redraw = drawLoopLens(root, page, post);
    else if (page.kind === 'foreign') redraw = drawForeign(root, page, post);
    else redraw = drawError(root, page, post);
  };
  window.addEventListener('message', (e: MessageEvent<ModelPageToWebview>) => {
    if (e.data?.type !== 'page') return;
    page = e.data.page;
    host.setState(page);
    draw();
  });
  let resize: ReturnType<typeof setTimeout> | undefined;
  new ResizeObserver(() => {
    clearTimeout(resize);
    resize = setTimeout(() => redraw?.(), 100);
  }).observe(root);
  draw();
  host.postMessage({ type: 'ready' });
}

type Post = (type: ModelPageToHost['type']) => void;

function binaryNote(post: Post): HTMLElement {
  const link = el('a', { text: 'Open it as binary', attrs: { href: '#', id: 'open-binary-link' } });
  link.addEventListener('click', (e) => {
    e.preventDefault();
    post('openAsBinary');
  });
  return el('p', { class: 'mp-note' }, link, ' to see its bytes in VS Code\'s own editor (or right-click the file › Open With… › Text Editor).');
}

function drawLoopLens(root: HTMLElement, p: LoopLensModelPage, post: Post): () => void {
  const header = panelHeader();
  header.show({ title: `${p.taskTitle} · looped transformer`, chips: p.chips, path: p.path, status: 'finished', statusText: 'LoopLens model' });
  const buttons = el(
    'div',
    { class: 'pn-buttons mp-actions' },
    button('Step Through…', 'step-through', () => post('stepThrough')),
    button('Debug…', 'debug', () => post('debug'), true),
    button('Evaluate…', 'evaluate', () => post('evaluate'), true),
    button('Make Current Model', 'make-current', () => post('makeCurrent'), true),
  );
  if (!p.canRun) for (const b of buttons.children) b.setAttribute('disabled', '');
  const lossBox = el('div', { attrs: { id: 'chart-loss' } });
  const accBox = el('div', { attrs: { id: 'chart-eval' } });
  const trainedText = p.trained ? `trained on ${p.lengthLabel} = ${p.trained.min}..${p.trained.max}` : 'trained lengths unknown';
  const evalCard = p.evaluation
    ? (() => {
        const ev = p.evaluation;
        const head = el('tr', {}, ...['length', 'T(n)', 'examples', 'oracle', 'adaptive (paper rule)', 'its step', 'per example', 'mean step'].map((t) => el('th', { text: t })));
        const body = ev.rows.map((r) =>
          el(
            'tr',
            { class: p.trained && r.length >= p.trained.min && r.length <= p.trained.max ? 'trained' : '' },
            el('td', { text: String(r.length) }),
            el('td', { text: fmt.int(r.oracleStep) }),
            el('td', { text: fmt.int(r.examples) }),
            ...ruleCells(r),
          ),
        );
        const c = card(
          'Evaluation',
          `Saved when training ended: exact match on ${fmt.int(ev.examplesPerLength)} random examples per length; rows in the trained range are marked (${trainedText}). Per example: ${ev.perExampleRule}.`,
          el('div', {}, accBox, el('div', { class: 'pn-table-box' }, el('table', { class: 'pn-table', attrs: { id: 'eval-table' } }, el('thead', {}, head), el('tbody', {}, ...body)))),
        );
        c.id = 'evaluation';
        return c;
      })()
    : (() => {
        const c = card('Evaluation', 'This model was saved without an evaluation.', el('p', { class: 'mp-note', text: 'Evaluate… measures its accuracy at lengths you choose, up to and beyond the trained ones.' }));
        c.id = 'evaluation';
        return c;
      })();
  const lossCard = card('Training loss', 'Mean masked cross-entropy over each logged window of steps (log scale).', lossBox);
  lossCard.id = 'loss';
  const parts: HTMLElement[] = [
    header.element,
    el('p', { class: 'mp-lead', text: p.taskDescription }),
    buttons,
    el(
      'div',
      { class: 'mp-cards' },
      factCard('task', 'Task', 'What the model reads and answers.', p.task),
      factCard('architecture', 'Architecture', 'The looped block and the file.', p.architecture),
      factCard('recipe', 'Training recipe', 'How it was trained.', p.recipe),
      factCard('record', 'Training record', 'What the run did.', p.record),
    ),
    el('div', { class: 'pn-grid' }, lossCard, evalCard),
  ];
  if (p.program) {
    const c = card('RASP-L program', `The task file ${p.program.file}, carried in the model file: it labels the training rows and runs beside the model in Step Through.`, el('pre', { class: 'mp-code', text: p.program.source }));
    c.id = 'program';
    parts.push(c);
  }
  parts.push(binaryNote(post));
  root.replaceChildren(...parts);

  const redraw = () => {
    drawChart(lossBox, {
      ariaLabel: 'Training loss per step',
      x: { label: 'step', integer: true, format: (v) => fmt.int(v) },
      y: { label: 'loss', log: true, format: fmt.loss },
      series: [{ label: 'training loss', color: 'c-blue', points: p.lossCurve.map((q) => ({ x: q.step, y: q.loss })) }],
      empty: 'No loss curve was saved.',
    });
    if (p.evaluation) {
      const rows = p.evaluation.rows;
      const lengths = rows.map((r) => r.length);
      drawChart(accBox, {
        ariaLabel: 'Exact-match accuracy against test length',
        x: { label: `test length ${p.lengthLabel}`, integer: true, domain: [Math.min(1, ...lengths), Math.max(...lengths, p.trained?.max ?? 1)], format: (v) => fmt.int(v) },
        y: { label: 'exact match', domain: [0, 1], format: fmt.pct, ticks: 4 },
        bands: p.trained ? [{ from: p.trained.min, to: p.trained.max, label: `trained on ${p.trained.min}..${p.trained.max}` }] : [],
        series: [
          { label: 'oracle: read at T(n)', color: 'c-yellow', style: 'line-dots', wide: true, points: rows.map((r) => ({ x: r.length, y: r.oracle })) },
          { label: "adaptive (the paper's rule)", color: 'c-blue', style: 'line-dots', points: rows.map((r) => ({ x: r.length, y: r.perBatch })) },
          { label: 'adaptive, per example', color: 'c-purple', style: 'line-dots', dashed: true, hollow: true, points: rows.map((r) => ({ x: r.length, y: r.perExample })) },
        ],
        empty: 'No evaluation rows.',
      });
    }
  };
  redraw();
  return redraw;
}

function ioTable(id: string, values: ForeignModelPage['info']['inputs']): HTMLElement {
  return el(
    'div',
    { class: 'pn-table-box' },
    el(
      'table',
      { class: 'pn-table mp-io', attrs: { id } },
      el('thead', {}, el('tr', {}, el('th', { text: 'name' }), el('th', { text: 'type' }), el('th', { text: 'shape' }))),
      el('tbody', {}, ...values.map((v) => el('tr', {}, el('td', { text: v.name }), el('td', { text: v.type }), el('td', { text: v.shape === null ? 'unknown' : `[${v.shape.join(', ')}]` })))),
    ),
  );
}

function drawForeign(root: HTMLElement, p: ForeignModelPage, post: Post): () => void {
  const i = p.info;
  const header = panelHeader();
  const opset = i.opsets.map((o) => `${o.domain} opset ${o.version}`);
  header.show({ title: p.fileName, chips: [fmt.bytes(p.bytes), ...(i.producer ? [`from ${i.producer}`] : []), ...(i.irVersion !== null ? [`IR version ${i.irVersion}`] : []), ...opset], path: p.path, status: 'cancelled', statusText: 'not a LoopLens model' });
  const graph: Fact[] = [
    { label: 'graph', value: i.graphName || '(unnamed)' },
    { label: 'nodes', value: fmt.int(i.nodeCount) },
    { label: 'weights', value: `${fmt.int(i.initializerCount)} initializer${i.initializerCount === 1 ? '' : 's'}, ${fmt.int(i.parameterCount)} values` },
    { label: 'metadata', value: i.metadataKeys.length > 0 ? i.metadataKeys.join(', ') : 'none' },
    ...(i.docString ? [{ label: 'description', value: i.docString }] : []),
  ];
  const ops = el('ul', { class: 'mp-ops', attrs: { id: 'operators' } }, ...i.operators.slice(0, 40).map((o) => el('li', { text: `${o.op} × ${o.count}` })));
  const inputs = card('Inputs', `${i.inputs.length} tensor${i.inputs.length === 1 ? '' : 's'} the graph reads.`, ioTable('onnx-inputs', i.inputs));
  const outputs = card('Outputs', `${i.outputs.length} tensor${i.outputs.length === 1 ? '' : 's'} it computes.`, ioTable('onnx-outputs', i.outputs));
  const graphCard = card('Graph', 'Operators by use.', el('div', {}, facts('graph-facts', graph), ops));
  root.replaceChildren(
    header.element,
    el(
      'p',
      { class: 'mp-lead', attrs: { id: 'foreign-lead' } },
      'This is an ONNX model, but not a LoopLens model: its metadata has no looplens.format entry, so it is no looped transformer LoopLens can step through, debug or evaluate. LoopLens models are the .onnx files that Train Looped Model (or looplens train) writes.',
    ),
    el('div', { class: 'pn-buttons mp-actions' }, button('Open as Binary', 'open-binary', () => post('openAsBinary')), button('Train a LoopLens Model…', 'train', () => post('train'), true)),
    el('div', { class: 'pn-grid' }, inputs, outputs),
    graphCard,
  );
  return () => undefined;
}

function drawError(root: HTMLElement, p: UnreadableModelPage, post: Post): () => void {
  const header = panelHeader();
  header.show({ title: p.fileName, chips: p.bytes === null ? [] : [fmt.bytes(p.bytes)], path: p.path, status: 'failed', statusText: 'cannot be opened' });
  root.replaceChildren(
    header.element,
    el('div', { class: 'pn-error', attrs: { id: 'page-error', role: 'alert' } }, el('strong', { text: 'LoopLens cannot open this file as a model' }), el('span', { text: p.message })),
    el('div', { class: 'pn-buttons mp-actions' }, button('Open as Binary', 'open-binary', () => post('openAsBinary'), true)),
  );
  return () => undefined;
}
