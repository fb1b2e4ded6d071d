// Timing a planned run in a child process (bundled to dist/estimate-worker.js; no vscode import), so
// the recipe page can say what the run will cost before it starts: real training steps on each kind
// of batch the run trains on, projected over its steps (core/train/runCost.ts, as `looplens train
// --estimate`). Protocol: estimateWorkerProtocol.ts.
import * as os from 'node:os';
import { validateRecipe } from '../../core/train/recipe';
import { costPoints, dataParallelText, ESTIMATE_SPREAD, projectionText, projectRun, threadsText, timeCostPoints, timedPointText } from '../../core/train/runCost';
import { defaultDataParallel } from '../../core/train/dataParallel';
import { readJsonLines } from '../../core/util/jsonLines';
import { workerStdout } from '../../core/util/workerStdout';
import { parseEstimateInbound, type EstimateWorkerOptions, type EstimateWorkerOutbound } from './estimateWorkerProtocol';

const { send, exitAfterFlush } = workerStdout<EstimateWorkerOutbound>();

async function estimate(o: EstimateWorkerOptions): Promise<void> {
  const recipe = validateRecipe(o.recipe);
  const total = costPoints(recipe, ESTIMATE_SPREAD).length;
  let done = 0;
  const dataParallel = o.dataParallel === true ? defaultDataParallel(__dirname) : undefined;
  const timed = await timeCostPoints(recipe, { provider: o.provider, cpuThreads: o.cpuThreads, dataParallel, onPoint: (p) => send({ type: 'point', done: ++done, total, text: timedPointText(p) }) });
  const run = projectRun(recipe, timed);
  const threads = dataParallel ? dataParallelText(dataParallel, o.cpuThreads) : threadsText(o.cpuThreads);
  send({ type: 'result', text: projectionText(run, threads), cpuSeconds: run.totalMs / 1000, wallSeconds: run.wallMs / 1000, threads, loadAverage: os.loadavg()[0]! });
}

function main(): void {
  let started = false;
  let ended = false; // a result or an error sent: a cancel after it changes nothing
  const end = (code: number) => {
    ended = true;
    exitAfterFlush(code);
  };
  const stop = () => {
    if (ended) return;
    send({ type: 'cancelled' });
    end(0);
  };
  readJsonLines(process.stdin, parseEstimateInbound, {
    onBadLine: (err) => send({ type: 'error', message: err.message }),
    onMessage: (m) => {
      if (m.type === 'cancel') return stop();
      if (started) return send({ type: 'error', message: 'one estimate per worker' });
      started = true;
      estimate(m.options).then(
        () => end(0),
        (err: unknown) => {
          if (ended) return;
          send({ type: 'error', message: (err as Error).message ?? String(err) });
          end(1);
        },
      );
    },
    onEnd: stop,
  });
  send({ type: 'ready', pid: process.pid });
}

main();
