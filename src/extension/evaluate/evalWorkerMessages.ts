// What the host accepts from the evaluation worker (evalWorkerProtocol.ts EvalWorkerOutbound): one
// check per message type, every field's type and range, with core/util/validate.ts. ChildWorker
// parses every stdout line with parseEvalOutbound; a line that fails never reaches the panel's
// state, and the error names the message type and the field.
import { caseCountsCheck, evalProgressCheck, evalSummaryRowCheck, failureExampleCheck, MAX_EVAL_ROWS } from '../../core/eval/summaryChecks';
import { array, int, messageParser, noFields, num, object, optional, refine, str, type MessageChecks } from '../../core/util/validate';
import type { EvalWorkerOutbound } from './evalWorkerProtocol';
import { stepCurveCheck } from './stepCurveChecks';

const count = int({ min: 0 });
const text = str({ maxLength: 100_000 });

const checks: MessageChecks<EvalWorkerOutbound> = {
  ready: object({ pid: count }),
  progress: evalProgressCheck,
  row: refine(object({ row: evalSummaryRowCheck, failure: optional(failureExampleCheck), cases: optional(caseCountsCheck), byStep: optional(stepCurveCheck) }), (m) => {
    const examples = m.cases?.reduce((a, c) => a + c.examples, 0);
    if (examples !== undefined && examples > m.row.examples) return `cases count ${examples} examples, more than row.examples (${m.row.examples})`;
    // the curve and the row read the same T(n)
    if (m.byStep && m.byStep.oracleStep !== m.row.oracleStep) return `byStep.oracleStep ${m.byStep.oracleStep} is not row.oracleStep (${m.row.oracleStep})`;
    return null;
  }),
  result: object({ rows: array(evalSummaryRowCheck, { maxLength: MAX_EVAL_ROWS }), perExampleRule: str({ maxLength: 10_000 }), seconds: num({ min: 0 }) }),
  cancelled: noFields,
  log: object({ message: text }),
  error: object({ message: text }),
};

/** Checks one decoded stdout line of the evaluation worker; throws an Error naming the message type and the field. */
export const parseEvalOutbound: (value: unknown) => EvalWorkerOutbound = messageParser<EvalWorkerOutbound>('eval worker', checks);
