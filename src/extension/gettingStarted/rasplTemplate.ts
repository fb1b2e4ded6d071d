// The task file "LoopLens: New RASP-L Task File" starts from: a small task with every directive
// filled in and commented, that trains as it is (test/unit/extension/gettingStarted.test.ts).

export const RASPL_TEMPLATE_NAME = 'any_one';

export const RASPL_TEMPLATE = `# Your own task for a looped transformer, written as the RASP-L program that solves it.
# This one answers: does the input contain a 1? Row: x \`0 1 0 2 3\`, the answer at '=' (token 2).
# Each step moves the running OR of the bits one position to the right, so after n steps the
# '=' position holds the OR of all n bits: T(n) = n, as for parity.
#
# Try it:  "LoopLens: Run RASP-L Program on Input" with this file open, e.g. input 0100
# Train:   "LoopLens: Train Looped Model" → "Your own RASP-L task (.raspl)…" → tiny (under a minute)
# Syntax:  every directive and primitive is described in LoopLens's models/tasks/README.md.

@task any_one
@vocab 6
@symbols "0" "1" "=" "." "<4>" "_"
@input [0 1]*n 2              # n random bits, then '='
@pad 3                        # fills the row after the prompt
@ignore 5                     # the label of positions before the answer
@answer from 2                # the answer starts at '='
@lengths n in 1..20           # the training lengths
@steps n                      # T(n): loop iterations
@width n + 2
@output out

EQ = 2
PAD = 3
x = tokens if tokens < 2 else 0     # non-bit tokens read as 0
s = full(0)

step:
    s = shift_right(seq_map(s, x, or_), 1)
    out = s if tokens == EQ else PAD
`;
