// The iteration stepper webview: see webview/stepper/app.ts.
import { startStepper } from './stepper/app';

startStepper(document.getElementById('app')!);
