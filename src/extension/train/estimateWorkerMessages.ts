// What the host accepts from the estimate worker (estimateWorkerProtocol.ts EstimateWorkerOutbound):
// one check per message type with core/util/validate.ts; a line that fails never reaches the page.
import { int, messageParser, noFields, num, object, refine, str, type MessageChecks } from '../../core/util/validate';
import type { EstimateWorkerOutbound } from './estimateWorkerProtocol';

const count = int({ min: 0 });
const text = str({ maxLength: 10_000 });
const seconds = num({ min: 0 });

const checks: MessageChecks<EstimateWorkerOutbound> = {
  ready: object({ pid: count }),
  point: refine(object({ done: int({ min: 1 }), total: int({ min: 1, max: 1000 }), text }), (m) => (m.done > m.total ? `done ${m.done} is more than total ${m.total}` : null)),
  result: object({ text, cpuSeconds: seconds, wallSeconds: seconds, threads: str({ maxLength: 100 }), loadAverage: num({ min: 0 }) }),
  cancelled: noFields,
  log: object({ message: text }),
  error: object({ message: text }),
};

/** Checks one decoded stdout line of the estimate worker; throws an Error naming the message type and the field. */
export const parseEstimateOutbound: (value: unknown) => EstimateWorkerOutbound = messageParser<EstimateWorkerOutbound>('estimate worker', checks);
