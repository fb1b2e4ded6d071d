// The model editor's webview: see webview/model/app.ts.
import { startModelPage } from './model/app';

startModelPage(document.getElementById('app')!);
