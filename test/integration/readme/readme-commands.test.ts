import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpFixture, startSmtpFixture } from '../channels/smtp-fixture.js';
import { runCliInProcess } from '../cli/in-process.js';
import { repoRoot, tempDataDir } from '../cli/spawn.js';

/**
 * The README's command-line block, run as a new user would paste it: every line in order,
 * from the repository's root, on a new data directory. If a command in the README stops
 * working (a renamed flag, a sample file that moved), this fails on that line.
 *
 * One liberty: the README's `SMTP_URL=smtp://127.0.0.1:2525` names a port a local sink would
 * listen on; here a real SMTP server listens on a free port and the URL points to it.
 */

interface ReadmeCommand {
  line: string;
  env: Record<string, string>;
  args: string[];
}

/** Shell words of one line: "quoted text" and 'quoted text' stay one word, quotes removed. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

/** The `npx relance …` lines of the first sh block under a heading, continuations joined. */
function readmeCommands(markdown: string, heading: string): ReadmeCommand[] {
  const section = markdown.slice(markdown.indexOf(heading));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error(`no sh block under ${heading}`);
  const lines = block.replace(/\\\n\s*/g, ' ').split('\n');
  const commands: ReadmeCommand[] = [];
  for (const raw of lines) {
    // A trailing "# comment" is the shell's too (a # after a space, outside quotes).
    const line = raw.replace(/\s+#(?=(?:[^"]*"[^"]*")*[^"]*$).*$/, '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const w = words(line);
    const env: Record<string, string> = {};
    while (w[0] && /^[A-Z_]+=/.test(w[0])) {
      const [k, ...v] = (w.shift() as string).split('=');
      env[k as string] = v.join('=');
    }
    if (w[0] !== 'npx' || w[1] !== 'relance') throw new Error(`not a relance command: ${line}`);
    commands.push({ line, env, args: w.slice(2) });
  }
  return commands;
}

describe('the README command-line block, verbatim', () => {
  let smtp: SmtpFixture;
  const dataDir = tempDataDir();
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const commands = readmeCommands(readme, '## The command line');

  beforeAll(async () => {
    smtp = await startSmtpFixture();
  });
  afterAll(async () => smtp?.close());

  it('has the commands a first-time user needs', () => {
    const names = commands.map((c) => c.args.slice(0, 2).join(' '));
    expect(names).toEqual(
      expect.arrayContaining([
        'org create',
        'import customers',
        'import invoices',
        'run --dry-run',
        'run --date',
      ]),
    );
    // No placeholder syntax a shell would choke on or a user would paste as is.
    for (const c of commands) expect(c.line).not.toMatch(/[|…<>[\]]/);
  });

  it('runs every line in order on a new data directory, and the run sends real email', async () => {
    const outputs: string[] = [];
    for (const c of commands) {
      const env: Record<string, string> = { DATA_DIR: dataDir, ...c.env };
      if (env.SMTP_URL) env.SMTP_URL = env.SMTP_URL.replace(/:\d+$/, `:${smtp.port}`);
      const r = await runCliInProcess(c.args, env);
      expect({ line: c.line, code: r.code, stderr: r.stderr }).toEqual({
        line: c.line,
        code: 0,
        stderr: expect.any(String),
      });
      outputs.push(r.stdout);
      if (c.args[0] === 'org' && c.args[1] === 'list') {
        // The organisation asked for and nothing else: no demo company slipped in.
        expect(r.stdout.trim().split('\n').slice(1)).toEqual([
          expect.stringMatching(/^dupont-industrie-sas\s+Dupont Industrie SAS/),
        ]);
      }
    }
    expect(smtp.received.length).toBeGreaterThan(0);
    const customers = readFileSync(join(repoRoot, 'examples/clients.csv'), 'utf8');
    for (const mail of smtp.received) {
      expect(mail.envelopeFrom).toBe('relances@dupont-industrie.example');
      for (const to of mail.envelopeTo) expect(customers).toContain(to);
      expect(mail.parsed.subject ?? '').not.toBe('');
    }
  }, 300_000);
});
