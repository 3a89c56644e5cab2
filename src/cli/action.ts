import type { Command } from 'commander';
import { globalOptions } from './context.js';
import { reportError } from './run-command.js';

/**
 * Wrap a command action: every error goes through the one mapping in run-command.ts
 * (message, exit code), so commands only throw. Commander passes positional arguments,
 * then the options, then the command; they arrive here as (opts, cmd, args).
 */
export function action<O>(fn: (opts: O, cmd: Command, args: string[]) => Promise<void>) {
  return async (...all: unknown[]): Promise<void> => {
    const cmd = all[all.length - 1] as Command;
    const opts = all[all.length - 2] as O;
    const args = all.slice(0, -2).map(String);
    try {
      await fn(opts, cmd, args);
    } catch (err) {
      reportError(err, globalOptions(cmd).verbose ?? false);
    }
  };
}
