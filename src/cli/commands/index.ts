// Every `looplens` subcommand. To add one: create src/cli/commands/<name>.ts exporting a
// defineCommand({...}) and list it here.
import type { CommandSpec } from '../framework/command';
import { infoCommand } from './info';
import { rasplCommand } from './raspl';
import { tasksCommand } from './tasks';

export const commands: CommandSpec[] = [infoCommand, tasksCommand, rasplCommand];

/** What `looplens` with no arguments runs. */
export const defaultCommandName = 'info';
