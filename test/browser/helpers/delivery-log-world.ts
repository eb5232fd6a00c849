/**
 * The Delivery log journey's world: a workspace seeded straight into the embedded database
 * (the sending path is another slice), and `mailroom serve` started on it.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { buildConfig } from '../../../src/config/config.js';
import { createContext } from '../../../src/context.js';
import { createWorkspaceWithAdmin } from '../../../src/services/auth/bootstrap.js';
import { addressRow } from '../../helpers/address-row.js';
import { seedMessage, seedTask } from '../../helpers/delivery-log-rows.js';
import { spawnServe } from './browser-harness.js';

export const ADMIN = { email: 'adam@biuro-nowak.example', password: 'admin password 12345' };
export const EWA = { email: 'ewa@biuro-nowak.example', password: 'employee password 12345' };
/** The one email of an earlier month (the day filters leave it out). */
export const OLD_SUBJECT = 'Oferta sprzed miesiąca';

/** Workspace, two people, an address and five emails (one 40 days old) in the database at `dataDir`. */
export async function seed(dataDir: string) {
  const ctx = await createContext(buildConfig({ dataDir, logLevel: 'warn' }), {
    logDestination: new Writable({ write: (_c, _e, cb) => cb() }),
  });
  try {
    const { workspace, admin } = await createWorkspaceWithAdmin(
      { workspaces: ctx.repos.workspaces, employees: ctx.repos.employees, transaction: ctx.transaction },
      {
        workspaceName: 'Biuro Nowak',
        adminEmail: ADMIN.email,
        adminName: 'Adam Admin',
        password: ADMIN.password,
        language: 'pl',
      },
    );
    const actor = {
      workspaceId: workspace.id,
      employeeId: admin.id,
      role: 'admin',
      name: 'Adam',
      via: 'system',
    } as const;
    const ewa = await ctx.services.employees.create(actor, {
      name: 'Ewa Nowak',
      email: EWA.email,
      password: EWA.password,
      language: 'pl',
    });
    const ws = workspace.id;
    const address = await ctx.mailbox.addresses.insert(
      addressRow({ workspaceId: ws, scope: 'company', email: 'biuro@biuro-nowak.example' }),
    );
    const base = { workspaceId: ws, addressId: address.id };
    const adminTask = await seedTask(ctx.db, ws, admin.id, 'Faktura za listopad');
    const ewaTask = await seedTask(ctx.db, ws, ewa.id, 'Okna dla Kowalskich');
    await seedMessage(ctx.db, adminTask, ws, {
      ...base,
      authorEmployeeId: admin.id,
      subject: 'Faktura 11/2026',
      status: 'sent',
      sentAt: new Date(Date.now() - 3_600_000),
      acceptedReply: '250 2.0.0 Ok: queued as 4F2A',
      to: [
        { email: 'ksiegowa@klient.example', name: 'Księgowa', status: 'accepted' },
        { email: 'stary@klient.example', status: 'rejected' },
      ],
    });
    const monthAgo = new Date(Date.now() - 40 * 86_400_000);
    await seedMessage(ctx.db, adminTask, ws, {
      ...base,
      authorEmployeeId: admin.id,
      subject: OLD_SUBJECT,
      status: 'sent',
      createdAt: monthAgo,
      sentAt: monthAgo,
      to: [{ email: 'ksiegowa@klient.example', status: 'accepted' }],
    });
    await seedMessage(ctx.db, adminTask, ws, {
      ...base,
      authorEmployeeId: admin.id,
      subject: 'Przypomnienie o fakturze',
      status: 'failed',
      attempts: 1,
      failure: {
        reason: 'smtp',
        catalogueId: 'recipient-unknown',
        failure: {
          kind: 'reply',
          protocol: 'smtp',
          responseCode: 550,
          enhancedCode: '5.1.1',
          response: '550 5.1.1 <nikt@klient.example>: User unknown',
        },
      },
      to: [{ email: 'nikt@klient.example', status: 'rejected' }],
    });
    await seedMessage(ctx.db, adminTask, ws, {
      workspaceId: ws,
      addressId: null,
      mime: null,
      authorEmployeeId: admin.id,
      subject: 'Bez nadawcy',
      status: 'failed',
      failure: { reason: 'no_sender' },
    });
    await seedMessage(ctx.db, ewaTask, ws, {
      ...base,
      authorEmployeeId: ewa.id,
      subject: 'Wycena okien',
      status: 'uncertain',
      attempts: 1,
      failure: {
        reason: 'connection_lost_after_data',
        failure: { kind: 'closed', protocol: 'smtp', code: 'ECONNRESET' },
      },
      to: [{ email: 'jan@kowalscy.example', name: 'Jan Kowalski' }],
    });
  } finally {
    await ctx.close();
  }
}

/** `mailroom serve` on an existing data dir: resolves with the URL it prints. */
export function serve(workDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawnServe(workDir);
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no URL within 120 s\n${output.join('\n')}`));
    }, 120_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      const url = /mailroom is running at (\S+)/.exec(line)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url: url.replace(/\/$/, '') });
      }
    });
    createInterface({ input: child.stderr! }).on('line', (line) => output.push(line));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited early (code ${code})\n${output.join('\n')}`));
    });
  });
}
