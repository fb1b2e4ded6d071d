// A recipe in one line, as `looplens train` (and its --estimate) and `npm run bench:recipe` print it.
import type { TrainRecipe } from './recipe';
import { cosineEndText } from './schedule';
import { recordedAnswerHoldText, recordedAverageText, recordedInputsText, recordedLongShareText, recordedStagesText, recordedWeightDecayText } from './trainRecord';

/** "parity (cpu preset): d=64, 1 layer(s), 4 heads, batch 64, …, seed 1". */
export function recipeSummaryText(recipe: TrainRecipe): string {
  const m = recipe.model;
  const longShare = recordedLongShareText(recipe);
  const inputs = recordedInputsText(recipe);
  const hold = recordedAnswerHoldText(recipe);
  const decay = recordedWeightDecayText(recipe);
  const stages = recordedStagesText(recipe);
  const average = recordedAverageText(recipe);
  return `${recipe.task} (${recipe.preset} preset): d=${m.d}, ${m.layers} layer(s), ${m.heads} heads${m.attentionScale === 'log-keys' ? ' (scores x ln keys)' : m.attentionScale === 'learned-log-keys' ? ' (scores x (1 + s ln keys), s learned)' : ''}, batch ${recipe.batchSize}, ${recipe.steps} steps, lr ${recipe.schedule.lr}${recipe.schedule.minLrFraction ? ` (${cosineEndText(recipe.schedule.minLrFraction)})` : ''}${decay ? `, weight decay ${decay}` : ''}, lengths 1..${recipe.curriculum.end - 1} (+1 every ${recipe.curriculum.interval} steps${longShare ? `, ${longShare}` : ''})${stages ? `, ${stages}` : ''}, ${recipe.widthMode === 'curriculum' ? 'rows as wide as the curriculum needs' : 'fixed-width rows'}${inputs ? `, ${inputs}` : ''}${hold ? `, ${hold}` : ''}${average ? `, ${average}` : ''}, seed ${recipe.seed}`;
}
