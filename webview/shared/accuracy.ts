// How the pages grade an accuracy: one threshold for "right" (formed, green) and one for "failing"
// (red), so every table and map of every panel colours the same number the same way.

/** An accuracy at least this high counts as right: green in tables, "formed" in position maps (core/eval/slotFormation.ts FORMED_ACCURACY, held equal by a test). */
export const FORMED = 0.95;
/** An accuracy below this counts as failing: red in tables. */
const FAILING = 0.6;

/** The colour class of an accuracy in the panels' tables. */
export const accuracyClass = (acc: number): string => (acc >= FORMED ? 'good' : acc < FAILING ? 'bad' : '');
