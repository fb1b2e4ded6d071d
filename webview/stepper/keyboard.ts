// Keyboard navigation: ←/→ step, Home/End first/last, Space play/pause; typing in a field is left alone.
import type { Actions } from './context';

export function installKeyboard(getStep: () => number | null, lastStep: () => number, actions: () => Actions | null): void {
  document.addEventListener('keydown', (e) => {
    const t = e.target as HTMLElement | null;
    if (t && (t.closest('vscode-textfield, input, textarea, select, vscode-single-select, .st-detail') || t.isContentEditable)) return;
    const step = getStep();
    const a = actions();
    if (step === null || !a || e.altKey || e.ctrlKey || e.metaKey) return;
    const go: Record<string, () => void> = {
      ArrowLeft: () => a.setStep(step - 1),
      ArrowRight: () => a.setStep(step + 1),
      Home: () => a.setStep(1),
      End: () => a.setStep(lastStep()),
      ' ': () => a.togglePlay(),
    };
    const f = go[e.key];
    if (!f) return;
    if (e.key === ' ' && t?.closest('vscode-button, button')) return; // the focused button handles Space itself
    e.preventDefault();
    f();
  });
}
