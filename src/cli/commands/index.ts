// Every `looplens` subcommand. To add one: create src/cli/commands/<name>.ts exporting a
// defineCommand({...}) and list it here.
import type { CommandSpec } from '../framework/command';
import { averageCommand } from './average';
import { compareCommand } from './compare';
import { evalCommand } from './eval';
import { exportCommand } from './export';
import { infoCommand } from './info';
import { rasplCommand } from './raspl';
import { startCommand } from './start';
import { tasksCommand } from './tasks';
import { traceCommand } from './trace';
import { trainCommand } from './train';

export const commands: CommandSpec[] = [startCommand, trainCommand, evalCommand, compareCommand, traceCommand, exportCommand, averageCommand, infoCommand, tasksCommand, rasplCommand];

/** What `looplens` with no arguments runs: the main job (train parity, evaluate, say where the model is). */
export const defaultCommandName = 'start';
