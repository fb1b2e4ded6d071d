// The Evaluation webview: see webview/evaluation/app.ts.
import { startEvaluation } from './evaluation/app';

startEvaluation(document.getElementById('app')!);
