import { parseArgs } from 'node:util';
import { buildConfig, ConfigError } from '../config/config.js';
import { readEnv } from '../config/env.js';
import { DataDirLockedError } from '../db/data-dir-lock.js';
import { KeyringError } from '../security/keyring.js';
import type { Role } from './serve.js';

// Commands load on use: `serve` starts opening the database before the bulk of the code loads.
const commands = () => import('./commands.js');

const USAGE = `Usage: mailroom <command> [options]

Commands:
  serve [--role all|web|worker]    start the service (default role: all)
  migrate                          apply database migrations and exit
  admin create --email E [--name N] [--workspace W] [--password P]
                                   create a workspace with an administrator
  admin reset-password --email E   set a new password (printed once); end that person's sessions and API tokens
  keys generate                    print a new secret key entry (kid:base64) for MAILROOM_SECRET_KEY
  rotate-key [--new-key]           re-encrypt stored secrets with the active key
                                   (--new-key first adds a new active key to the key file)

Configuration comes from environment variables (and ./.env); see README.md.`;

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') return void console.log(USAGE);
  if (command === 'keys' && rest[0] === 'generate') return (await commands()).keysGenerate();
  const config = buildConfig(readEnv());
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({ args: rest, options: { role: { type: 'string', default: 'all' } } });
      if (!['all', 'web', 'worker'].includes(values.role!))
        throw new UsageError(`--role must be all, web or worker`);
      await (await import('./serve.js')).serve(config, values.role as Role);
      return;
    }
    case 'migrate':
      return (await commands()).migrateOnly(config);
    case 'admin': {
      if (rest[0] === 'reset-password') {
        const { values } = parseArgs({ args: rest.slice(1), options: { email: { type: 'string' } } });
        if (!values.email) throw new UsageError('--email is required');
        return (await commands()).adminResetPassword(config, values.email);
      }
      if (rest[0] !== 'create') throw new UsageError('expected "admin create" or "admin reset-password"');
      const { values } = parseArgs({
        args: rest.slice(1),
        options: {
          email: { type: 'string' },
          name: { type: 'string' },
          workspace: { type: 'string' },
          password: { type: 'string' },
        },
      });
      if (!values.email) throw new UsageError('--email is required');
      return (await commands()).adminCreate(config, {
        email: values.email,
        name: values.name,
        workspace: values.workspace,
        password: values.password,
      });
    }
    case 'rotate-key': {
      const { values } = parseArgs({
        args: rest,
        options: { 'new-key': { type: 'boolean', default: false } },
      });
      return (await commands()).rotateKey(config, { newKey: values['new-key'] === true });
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

class UsageError extends Error {}

main(process.argv.slice(2)).catch((error: unknown) => {
  // Known start-up refusals get their message alone; anything else its stack.
  if (error instanceof ConfigError || error instanceof KeyringError || error instanceof DataDirLockedError) {
    console.error(`mailroom: ${error.message}`);
  } else if (error instanceof UsageError) {
    console.error(`mailroom: ${error.message}\n\n${USAGE}`);
  } else {
    console.error('mailroom: failed to start:', error);
  }
  process.exit(1);
});
