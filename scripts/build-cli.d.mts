/** Types of build-cli.mjs, for the tests that import it. */
export const cliBundle: string;
export function cliBundleIsFresh(): boolean;
export function ensureCliBuild(): Promise<string>;
