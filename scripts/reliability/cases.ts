// The reliability suite's fixed cases: bad command-line arguments (each with the exit code and
// message it must give) and huge inputs. Placeholders in arguments are filled by the worker:
// {MODEL} the shipped parity model, {LEGACY} a copy without the integrity checksum, {FIFO} a named
// pipe ({FIFOONNX} one named .onnx), {TMP} a scratch folder, {MISSING} a path that does not
// exist, {HOSTILE} a task file whose @width is 10^12, {SPARSE} a 1 GiB sparse file,
// {BIGPROGRAM} a 2 MB RASP-L file, {WIDEPROGRAM} a program that records a 4096 × 4096 selector
// every step, {LONGPROGRAM} one that records a few variables every step.

export interface CliCase {
  name: string;
  argv: string[];
  /** Exit codes that are right. */
  codes: number[];
  /** The message (stderr for failures) must match this. */
  message?: string;
  /** Also run through the real `looplens` process (a few, for the process-level exit code). */
  process?: boolean;
}

const bits = (n: number) => '10'.repeat(Math.ceil(n / 2)).slice(0, n);

export const CLI_CASES: CliCase[] = [
  { name: 'negative steps', argv: ['train', '--task', 'parity', '--steps', '-5'], codes: [2], message: '--steps must be >= 1, got -5', process: true },
  { name: 'zero steps', argv: ['train', '--task', 'parity', '--steps', '0'], codes: [2], message: '--steps must be >= 1' },
  { name: 'steps not a number', argv: ['train', '--task', 'parity', '--steps', 'abc'], codes: [2], message: '--steps must be an integer, got "abc"' },
  { name: 'steps in e-notation', argv: ['train', '--task', 'parity', '--steps', '1e3'], codes: [2], message: '--steps must be an integer' },
  { name: 'missing option value', argv: ['train', '--task', 'parity', '--steps'], codes: [2], message: 'steps' },
  { name: 'negative lr', argv: ['train', '--task', 'parity', '--lr', '-0.1'], codes: [2], message: '--lr must be > 0, got -0.1' },
  { name: 'zero lr', argv: ['train', '--task', 'parity', '--lr', '0'], codes: [2], message: '--lr must be > 0' },
  { name: 'NaN lr', argv: ['train', '--task', 'parity', '--lr', 'NaN'], codes: [2], message: '--lr must be a number' },
  { name: 'infinite lr', argv: ['train', '--task', 'parity', '--lr', 'Infinity'], codes: [2], message: '--lr must be a number' },
  { name: 'negative seed', argv: ['train', '--task', 'parity', '--seed', '-1'], codes: [2], message: '--seed must be >= 0, got -1' },
  { name: 'zero batch', argv: ['train', '--task', 'parity', '--batch', '0'], codes: [2], message: '--batch must be >= 1' },
  { name: 'huge batch', argv: ['train', '--task', 'parity', '--batch', '100000'], codes: [2], message: '--batch must be <= 4096' },
  { name: '13 billion parameters', argv: ['train', '--task', 'parity', '--d', '4096', '--heads', '1024', '--layers', '64', '--batch', '4096'], codes: [2], message: '12.9 billion parameters', process: true },
  { name: 'training memory over the machine', argv: ['train', '--task', 'parity', '--batch', '4096', '--max-length', '500', '--width', 'fixed'], codes: [2], message: 'would need about' },
  { name: 'heads not dividing d', argv: ['train', '--task', 'parity', '--heads', '3'], codes: [2], message: 'heads (3) must divide d (64)' },
  { name: 'too many layers', argv: ['train', '--task', 'parity', '--layers', '65'], codes: [2], message: '--layers must be <= 64' },
  { name: 'zero max length', argv: ['train', '--task', 'parity', '--max-length', '0'], codes: [2], message: '--max-length must be >= 1' },
  { name: 'max length over the limit', argv: ['train', '--task', 'parity', '--max-length', '501'], codes: [2], message: '--max-length must be <= 500' },
  { name: 'unknown task', argv: ['train', '--task', 'nope'], codes: [2], message: 'unknown task "nope"' },
  { name: 'no task', argv: ['train'], codes: [2], message: '--task is required' },
  { name: 'task and task file', argv: ['train', '--task', 'parity', '--task-file', '{HOSTILE}'], codes: [2], message: 'give either --task or --task-file, not both' },
  { name: 'task file is a FIFO', argv: ['train', '--task-file', '{FIFO}'], codes: [2], message: 'is a named pipe (FIFO)' },
  { name: 'task file is /dev/zero', argv: ['train', '--task-file', '/dev/zero'], codes: [2], message: 'is a character device' },
  { name: 'task file is missing', argv: ['train', '--task-file', '{MISSING}'], codes: [2], message: 'no such file' },
  { name: 'task file with @width 10^12', argv: ['train', '--task-file', '{HOSTILE}', '--steps', '1'], codes: [2], message: 'hostile.raspl:7:8: task error: @width: evaluates to 1000000000000' },
  { name: 'resume from /dev/zero', argv: ['train', '--task', 'parity', '--resume', '--checkpoint', '/dev/zero'], codes: [1], message: '/dev/zero is a character device, not a checkpoint' },
  { name: 'resume from a FIFO', argv: ['train', '--task', 'parity', '--resume', '--checkpoint', '{FIFO}'], codes: [1], message: 'is a named pipe (FIFO), not a checkpoint' },
  { name: 'bad width mode', argv: ['train', '--task', 'parity', '--width', 'sideways'], codes: [2], message: '--width must be one of fixed, curriculum' },
  { name: 'negative warm-up', argv: ['train', '--task', 'parity', '--warmup', '-5'], codes: [2], message: '--warmup must be >= 0, got -5' },
  { name: 'warm-up longer than the run', argv: ['train', '--task', 'parity', '--steps', '1', '--warmup', '1000000', '--d', '8', '--heads', '2', '--no-eval', '--out', '{TMP}/warm.onnx', '--ep', 'cpu', '--threads', '1'], codes: [0], message: 'warning: the learning-rate warm-up (1000000 steps) is longer than the run (1 steps)' },
  { name: 'negative length', argv: ['eval', '{MODEL}', '--lengths', '-10'], codes: [2], message: '--lengths must be >= 1, got -10' },
  { name: 'empty length in a list', argv: ['eval', '{MODEL}', '--lengths', '10,,20'], codes: [2], message: 'comma-separated integers' },
  { name: 'length over the limit', argv: ['eval', '{MODEL}', '--lengths', '501'], codes: [2], message: '--lengths must be <= 500' },
  { name: 'zero length', argv: ['eval', '{MODEL}', '--lengths', '0'], codes: [2], message: '--lengths must be >= 1' },
  { name: 'negative examples', argv: ['eval', '{MODEL}', '--examples', '-1'], codes: [2], message: '--examples must be >= 1, got -1' },
  { name: 'ten million examples', argv: ['eval', '{MODEL}', '--examples', '10000000', '--lengths', '40', '--ep', 'cpu'], codes: [1], message: 'would need about' },
  { name: 'zero batch (eval)', argv: ['eval', '{MODEL}', '--batch', '0'], codes: [2], message: '--batch must be >= 1' },
  { name: 'unknown provider', argv: ['eval', '{MODEL}', '--ep', 'gpu'], codes: [2], message: '--ep must be one of auto, cpu, cuda' },
  { name: 'negative threads', argv: ['eval', '{MODEL}', '--threads', '-1'], codes: [2], message: '--threads must be >= 0, got -1' },
  { name: 'model is /dev/zero', argv: ['eval', '/dev/zero'], codes: [1], message: '/dev/zero is a character device, not a model file', process: true },
  { name: 'model is a FIFO', argv: ['eval', '{FIFO}'], codes: [1], message: 'is a named pipe (FIFO), not a model file' },
  { name: 'model is a folder', argv: ['eval', '{TMP}'], codes: [1], message: 'is a folder, not a model file' },
  { name: 'model without checksum', argv: ['eval', '{LEGACY}'], codes: [1], message: 'has no integrity checksum (metadata looplens.checksum)' },
  { name: 'no model', argv: ['eval'], codes: [2], message: 'missing MODEL' },
  { name: 'two models', argv: ['eval', '{MODEL}', '{MODEL}'], codes: [2], message: 'too many arguments' },
  { name: 'input with spaces', argv: ['trace', '{MODEL}', '--input', '1 0 1', '--ep', 'cpu'], codes: [2], message: 'parity input is written without separators, e.g. 1011; found a space', process: true },
  { name: 'input with commas', argv: ['trace', '{MODEL}', '--input', '1,0,1', '--ep', 'cpu'], codes: [2], message: 'found a comma' },
  { name: 'empty input', argv: ['trace', '{MODEL}', '--input', ''], codes: [2], message: '--input needs a non-empty value' },
  { name: 'input not binary', argv: ['trace', '{MODEL}', '--input', '1021', '--ep', 'cpu'], codes: [2], message: 'must be binary digits 0/1' },
  { name: 'input starting with a dash', argv: ['trace', '{MODEL}', '--input', '-101', '--ep', 'cpu'], codes: [2], message: 'must be binary digits 0/1' },
  { name: 'negative trace steps', argv: ['trace', '{MODEL}', '--input', '1011', '--steps', '-3'], codes: [2], message: '--steps must be >= 1, got -3' },
  { name: 'trace steps over the limit', argv: ['trace', '{MODEL}', '--input', '1011', '--steps', '10001'], codes: [2], message: '--steps must be <= 10000' },
  { name: 'no input', argv: ['trace', '{MODEL}'], codes: [2], message: '--input is required' },
  { name: 'export /dev/zero', argv: ['export', '/dev/zero'], codes: [1], message: 'is a character device, not a checkpoint' },
  { name: 'export a FIFO model', argv: ['export', '{FIFOONNX}'], codes: [1], message: 'is a named pipe (FIFO), not a model file' },
  { name: 're-export a model without checksum', argv: ['export', '{LEGACY}', '--out', '{TMP}/fixed.onnx'], codes: [0], message: 'weights checked, integrity checksum added' },
  { name: 'raspl run of a hostile task file', argv: ['raspl', 'run', '{HOSTILE}', '--input', '1011'], codes: [1], message: 'hostile.raspl:7:8' },
  { name: 'raspl check of /dev/zero', argv: ['raspl', 'check', '/dev/zero'], codes: [1], message: 'is a character device' },
  { name: 'raspl input too long', argv: ['raspl', 'run', 'models/tasks/parity.raspl', '--input', '1'.repeat(30_000)], codes: [2], message: '--input has 30000 characters' },
  { name: 'raspl lengths over the limit', argv: ['raspl', 'run', 'models/tasks/parity.raspl', '--lengths', '501'], codes: [2], message: '--lengths must be <= 500' },
  { name: 'raspl unknown action', argv: ['raspl', 'frob', 'x'], codes: [2], message: 'unknown action "frob"' },
  { name: 'tasks input with spaces', argv: ['tasks', 'parity', '--input', '1 0 1'], codes: [2], message: 'without separators' },
  { name: 'unknown command', argv: ['frobnicate'], codes: [2], message: 'unknown command "frobnicate"' },
  { name: 'option before the command', argv: ['--steps', '5'], codes: [2], message: 'expected a command before "--steps"', process: true },
];

/** Huge inputs: each must end in a clean refusal (or a bounded success) within the time and memory limits. */
export interface HugeCase {
  name: string;
  argv?: string[];
  /** Runs in the worker instead of the CLI (the stepper's and the editor's paths). */
  builtin?: 'stepper-2000-bits' | 'stepper-message-30000' | 'editor-600kb' | 'editor-deep-nesting';
  codes: number[];
  message?: string;
}

export const HUGE_CASES: HugeCase[] = [
  { name: 'trace 500 bits', argv: ['trace', '{MODEL}', '--input', bits(500), '--ep', 'cpu'], codes: [1], message: 'tracing 502 positions for 520 loop steps' },
  { name: 'trace 2000 bits', argv: ['trace', '{MODEL}', '--input', bits(2000), '--ep', 'cpu'], codes: [1], message: 'would need about 1' },
  { name: 'trace 30000 characters', argv: ['trace', '{MODEL}', '--input', bits(30_000), '--ep', 'cpu'], codes: [2], message: 'at most 20000' },
  { name: 'trace 200 bits (fits; calibration in smaller batches)', argv: ['trace', '{MODEL}', '--input', bits(200), '--steps', '10', '--ep', 'cpu', '--threads', '1'], codes: [0], message: "length-calibrated rule (the paper's rule on 256 random inputs of this length) picks step" },
  { name: 'stepper input of 2000 bits', builtin: 'stepper-2000-bits', codes: [1], message: 'would need about' },
  { name: 'stepper message of 30000 characters', builtin: 'stepper-message-30000', codes: [1], message: 'at most 20000 characters' },
  { name: 'eval 10 million examples', argv: ['eval', '{MODEL}', '--examples', '10000000', '--lengths', '10', '--ep', 'cpu'], codes: [1], message: 'would need about' },
  { name: 'eval length 500, batch 4096', argv: ['eval', '{MODEL}', '--lengths', '500', '--batch', '4096', '--examples', '4096', '--ep', 'cpu'], codes: [1], message: 'use a smaller batch' },
  { name: 'train 13 billion parameters', argv: ['train', '--task', 'parity', '--d', '4096', '--heads', '1024', '--layers', '64', '--batch', '4096'], codes: [2], message: 'billion parameters' },
  { name: 'train activations of terabytes', argv: ['train', '--task', 'copy', '--batch', '4096', '--max-length', '500', '--width', 'fixed', '--heads', '64'], codes: [2], message: 'would need about' },
  { name: 'model file of 1 GiB (sparse)', argv: ['eval', '{SPARSE}'], codes: [1], message: 'more than the 160 MiB a model file may have' },
  { name: 'model /dev/urandom', argv: ['eval', '/dev/urandom'], codes: [1], message: 'is a character device' },
  { name: 'RASP-L selector of 4096² every step', argv: ['raspl', 'run', '{WIDEPROGRAM}', '--input', Array(4096).fill('1').join(' '), '--steps', '10'], codes: [1], message: 'would record more than 50 million values' },
  { name: 'RASP-L 4096 tokens × 10000 steps', argv: ['raspl', 'run', '{LONGPROGRAM}', '--input', Array(4096).fill('1').join(' '), '--steps', '10000'], codes: [1], message: 'would record more than 50 million values' },
  { name: 'RASP-L program of 600 KB (editor)', builtin: 'editor-600kb', codes: [0] },
  { name: 'RASP-L nesting 100000 deep (editor)', builtin: 'editor-deep-nesting', codes: [1], message: 'nested too deeply' },
  { name: 'RASP-L check of a 2 MB file', argv: ['raspl', 'check', '{BIGPROGRAM}'], codes: [1], message: 'more than the 1.0 MiB a RASP-L file may have' },
];
