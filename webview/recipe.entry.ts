// The custom recipe webview: see webview/recipe/app.ts.
import { startRecipePage } from './recipe/app';

startRecipePage(document.getElementById('app')!);
