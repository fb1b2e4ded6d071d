// A debugger host for tests and the debug benchmark: opens a model file's sessions on the CPU
// (trace, eval, state), kept per file for the whole process, as the extension keeps the current
// model's.
import { LoopStateSession } from '../../src/core/infer/stateSession';
import { loadModel } from '../../src/core/model/modelFile';
import { openTraceSessions } from '../../src/core/trace/traceInput';
import type { DebugModelSessions } from '../../src/core/debug/launch';

const opened = new Map<string, Promise<DebugModelSessions>>();

export function openForDebug(file: string, cpuThreads?: number): Promise<DebugModelSessions> {
  let p = opened.get(file);
  if (!p) {
    p = (async () => {
      const model = await loadModel(file);
      const settings = { provider: 'cpu' as const, cpuThreads };
      const sessions = await openTraceSessions(model, settings);
      const stateSession = LoopStateSession.fromParams(model.config, model.params, settings);
      return { model, sessions, stateSession: () => stateSession, calibratedStops: new Map<string, number>() };
    })();
    opened.set(file, p);
    p.catch(() => opened.delete(file));
  }
  return p;
}

/** Releases every session opened here (end of a test file). */
export async function releaseDebugSessions(): Promise<void> {
  const all = [...opened.values()];
  opened.clear();
  for (const p of all) {
    const o = await p.catch(() => null);
    if (!o) continue;
    await o.sessions.trace.release();
    await o.sessions.eval?.release();
    await (await o.stateSession())?.release();
  }
}
