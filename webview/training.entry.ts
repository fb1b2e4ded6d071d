// The Training webview: see webview/training/app.ts.
import { startTraining } from './training/app';

startTraining(document.getElementById('app')!);
