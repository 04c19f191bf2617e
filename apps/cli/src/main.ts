import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { commands, usage } from './commands.js';
import { openCliContext } from './cli-context.js';

/** `npm run cadre -- <command> [options]`: operations on a Cadre deployment. */
async function main(): Promise<number> {
  const [name, ...rest] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) {
    process.stderr.write(usage());
    return name ? 2 : 0;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: command.options,
    allowPositionals: true,
    strict: true,
  });
  const context = await openCliContext();
  try {
    return await command.run(context, values as Record<string, string | boolean | undefined>, positionals);
  } finally {
    await context.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`cadre: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
