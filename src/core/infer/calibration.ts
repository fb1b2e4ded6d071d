// Its own file (no imports) so the webviews can show it without bundling the inference code.
/** Random inputs behind one length-calibrated step (the stepper, `looplens trace`, `eval --calibrated`, the Evaluate panel). */
export const CALIBRATION_EXAMPLES = 256;
