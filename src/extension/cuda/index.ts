// "LoopLens: Set Up CUDA…": says what CUDA training and inference need and what this machine has,
// then installs ONNX Runtime's CUDA execution provider next to the ONNX Runtime LoopLens loads (the
// install script shipped with LoopLens, scripts/install-cuda.mjs) with a cancellable progress
// notification, its output in the LoopLens output channel, and offers to switch to CUDA.
import * as vscode from 'vscode';
import { spawn } from 'node:child_process';
import { cudaUnavailableReason, ortNativeDir } from '../../core/infer/executionProvider';
import { findGpus, installArgs, loadedOrtDir, missingLibrariesNote, platformProblem, VARIANTS, type CudaVariant } from './cudaSetup';

async function useCuda(): Promise<void> {
  await vscode.workspace.getConfiguration('looplens').update('executionProvider', 'cuda', vscode.ConfigurationTarget.Global);
  void vscode.window.showInformationMessage('LoopLens: looplens.executionProvider is now "cuda". If a model was already open, reload the window so every session starts on CUDA.', 'Reload Window').then((c) => {
    if (c === 'Reload Window') void vscode.commands.executeCommand('workbench.action.reloadWindow');
  });
}

/** Runs the install script; resolves with its exit code and output. */
function runInstall(context: vscode.ExtensionContext, log: vscode.OutputChannel, variant: CudaVariant, dryRun: boolean): Promise<{ code: number | null; output: string; cancelled: boolean }> {
  const script = vscode.Uri.joinPath(context.extensionUri, 'scripts', 'install-cuda.mjs').fsPath;
  const args = installArgs(script, variant, loadedOrtDir(), dryRun);
  log.appendLine(`Set Up CUDA: ${process.execPath} ${args.join(' ')}`);
  log.show(true);
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'LoopLens: installing the CUDA provider', cancellable: true }, (progress, token) => {
      return new Promise<{ code: number | null; output: string; cancelled: boolean }>((resolve) => {
        // The extension host's own Node (Electron's runs as plain Node with this variable).
        const child = spawn(process.execPath, args, { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        let cancelled = false;
        const onData = (chunk: Buffer) => {
          const text = chunk.toString();
          output += text;
          log.append(text);
          const last = text.trim().split('\n').pop();
          if (last) progress.report({ message: last.slice(0, 120) });
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        token.onCancellationRequested(() => {
          cancelled = true;
          child.kill();
        });
        child.on('error', (e) => resolve({ code: null, output: `${output}\n${e.message}`, cancelled }));
        child.on('close', (code) => resolve({ code, output, cancelled }));
      });
    }),
  );
}

async function setUpCuda(context: vscode.ExtensionContext, log: vscode.OutputChannel): Promise<void> {
  const platform = platformProblem();
  if (platform) {
    void vscode.window.showInformationMessage(`LoopLens: ${platform}.`);
    return;
  }
  const missing = cudaUnavailableReason();
  const gpus = findGpus();
  const gpuLine = gpus.gpus.length > 0 ? `Found: ${gpus.gpus.join('; ')}.` : `No NVIDIA GPU found (${gpus.problem}).`;
  if (!missing) {
    const choice = await vscode.window.showInformationMessage(
      `LoopLens: the CUDA provider is already installed (${ortNativeDir()}). ${gpuLine}`,
      { modal: true, detail: 'Set looplens.executionProvider to "cuda" (fail with the reason when CUDA cannot start) or keep "auto" (CUDA when it starts, else the CPU).' },
      'Use CUDA',
      'Reinstall…',
    );
    if (choice === 'Use CUDA') await useCuda();
    if (choice !== 'Reinstall…') return;
  }
  const go = await vscode.window.showInformationMessage(
    'Set Up CUDA',
    {
      modal: true,
      detail:
        `LoopLens trains and runs models with ONNX Runtime. This installs ONNX Runtime 1.29.0's CUDA execution provider (180-230 MB) next to the ONNX Runtime LoopLens loads:\n${loadedOrtDir()}\n\n` +
        `It needs an NVIDIA GPU with its driver, and the CUDA libraries of the build you pick (CUDA 12 with cuDNN 9, or CUDA 13) where the loader finds them.\n\n${gpuLine}`,
    },
    gpus.gpus.length > 0 ? 'Continue' : 'Continue Anyway',
  );
  if (!go) return;
  const picked = await vscode.window.showQuickPick(
    [...VARIANTS.map((v) => ({ label: v.label, detail: v.detail, variant: v.variant, dryRun: false })), { label: 'Only show what would be done', detail: 'a dry run: nothing is downloaded or copied', variant: 'auto' as CudaVariant, dryRun: true }],
    { title: 'Set Up CUDA: which build?', placeHolder: 'The CUDA version your machine has decides', ignoreFocusOut: true },
  );
  if (!picked) return;
  const r = await runInstall(context, log, picked.variant, picked.dryRun);
  if (r.cancelled) {
    void vscode.window.showInformationMessage('LoopLens: the CUDA set-up was cancelled; LoopLens keeps running on the CPU.');
    return;
  }
  if (r.code !== 0) {
    const why = r.output.split('\n').reverse().find((l) => l.startsWith('install:cuda:'))?.replace(/^install:cuda: /, '') ?? `the install script ended with code ${r.code}`;
    const c = await vscode.window.showErrorMessage(`LoopLens could not install the CUDA provider: ${why}`, 'Show Output');
    if (c === 'Show Output') log.show();
    return;
  }
  if (picked.dryRun) {
    log.show();
    return;
  }
  const note = missingLibrariesNote(r.output);
  const c = note
    ? await vscode.window.showWarningMessage(`LoopLens installed the CUDA provider, but ${note}`, 'Use CUDA', 'Show Output')
    : await vscode.window.showInformationMessage('LoopLens installed the CUDA provider. Use it for training, Step Through and evaluation?', 'Use CUDA', 'Show Output');
  if (c === 'Use CUDA') await useCuda();
  if (c === 'Show Output') log.show();
}

export function registerCudaSetup(context: vscode.ExtensionContext, log: vscode.OutputChannel): void {
  context.subscriptions.push(vscode.commands.registerCommand('looplens.setUpCuda', () => setUpCuda(context, log)));
}
