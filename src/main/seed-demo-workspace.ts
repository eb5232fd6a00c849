import type { AppContext } from '../context.js';
import type { Actor } from '../domain/actor.js';
import type { Sandbox } from '../sandbox/sandbox.js';
import {
  SANDBOX_BOUNCING_CONTACT,
  SANDBOX_COMPANY_DOMAIN,
  SANDBOX_PERSONAS,
  SANDBOX_PRESET_ID,
} from '../sandbox/sandbox-world.js';
import { createWorkspaceWithAdmin, generatePassword } from '../services/auth/bootstrap.js';

export const DEMO_WORKSPACE_NAME = 'Firma Demo (piaskownica)';
export const DEMO_ADMIN_EMAIL = `anna.nowak@${SANDBOX_COMPANY_DOMAIN}`;

export interface DemoWorkspace {
  workspaceId: string;
  workspaceName: string;
  email: string;
  password: string;
}

/**
 * The demo workspace beside the real one (issue 12 item 1), seeded on the first start when the
 * sandbox runs: employees, a group, projects, contacts (the simulated client, the out-of-office
 * contact, a silent one and one whose address bounces), one company and two employee addresses
 * on the sandbox — tested through mailroom's real "Test account" path (so the allow-list is
 * exercised) and saved active, ready to send — and one task with the client in it.
 * Everything goes through the same use cases as the API, as the demo admin.
 */
export async function seedDemoWorkspace(ctx: AppContext, sandbox: Sandbox): Promise<DemoWorkspace> {
  const created = await createWorkspaceWithAdmin(
    { workspaces: ctx.repos.workspaces, employees: ctx.repos.employees, transaction: ctx.transaction },
    {
      workspaceName: DEMO_WORKSPACE_NAME,
      adminEmail: DEMO_ADMIN_EMAIL,
      adminName: 'Anna Nowak',
      language: 'pl',
      employeesManageOwnAddresses: true,
    },
  );
  const ws = created.workspace.id;
  await ctx.repos.workspaces.update(ws, { sandbox: true, settingsConfirmedAt: new Date() });
  const actor: Actor = {
    workspaceId: ws,
    employeeId: created.admin.id,
    role: 'admin',
    name: created.admin.name,
    via: 'system',
  };
  const { employees, groups, projects, contacts } = ctx.services;

  const piotr = await employees.create(actor, {
    name: 'Piotr Zieliński',
    email: `piotr.zielinski@${SANDBOX_COMPANY_DOMAIN}`,
    role: 'employee',
    language: 'pl',
  });
  await employees.create(actor, {
    name: 'Katarzyna Wójcik',
    email: `katarzyna.wojcik@${SANDBOX_COMPANY_DOMAIN}`,
    role: 'employee',
    language: 'pl',
  });
  await groups.create(actor, {
    name: 'Obsługa klienta',
    description: 'Zespół, który pisze do klientów',
    memberIds: [created.admin.id, piotr.id],
  });
  const rollout = await projects.create(actor, {
    name: 'Wdrożenie — Klient Demo',
    description: 'Projekt demonstracyjny w piaskownicy',
  });
  await projects.create(actor, { name: 'Oferty handlowe', description: 'Zapytania i oferty' });

  const contactIds: Record<string, string> = {};
  for (const p of [...SANDBOX_PERSONAS, SANDBOX_BOUNCING_CONTACT]) {
    const note =
      'behaviour' in p
        ? {
            replies: 'Symulowany klient: odpowiada na e-maile po kilku sekundach.',
            out_of_office: 'Symulowana nieobecność: odpowiada automatycznie, że jest na urlopie.',
            silent: 'Odbiera e-maile, ale nie odpowiada.',
            defers_once:
              'Symulowany chwilowy problem: jej serwer odkłada pierwszą próbę każdego e-maila (451), ponowną przyjmuje.',
          }[p.behaviour]
        : 'Ten adres nie istnieje: e-mail do niego wraca jako zwrot (bounce).';
    const c = await contacts.create(actor, {
      name: p.name,
      company: p.company,
      notes: note,
      emails: [{ email: p.email, isPrimary: true }],
    });
    contactIds[p.email] = c.id;
  }

  // The company mailbox reads by IMAP (IDLE, Copy in Sent), the employees' by POP3: both kinds on show.
  const addresses: { email: string; name: string; owner: string | null; protocol: 'imap' | 'pop3' }[] = [
    { email: `biuro@${SANDBOX_COMPANY_DOMAIN}`, name: 'Firma Demo — biuro', owner: null, protocol: 'imap' },
    { email: DEMO_ADMIN_EMAIL, name: 'Anna Nowak', owner: created.admin.id, protocol: 'pop3' },
    { email: piotr.email, name: 'Piotr Zieliński', owner: piotr.id, protocol: 'pop3' },
  ];
  for (const a of addresses) {
    const password = generatePassword();
    sandbox.store.setAccount(a.email, password);
    const input = {
      email: a.email,
      displayName: a.name,
      presetId: SANDBOX_PRESET_ID,
      login: a.email,
      password,
      smtp: { host: sandbox.host, port: sandbox.smtpPort, security: 'none' as const },
      incoming: {
        protocol: a.protocol,
        host: sandbox.host,
        port: a.protocol === 'imap' ? sandbox.imapPort : sandbox.pop3Port,
        security: 'none' as const,
      },
    };
    const test = await ctx.mailbox.addressTester.test(actor, {
      ...input,
      ...(a.owner ? { scope: 'employee' as const, ownerEmployeeId: a.owner } : { scope: 'company' as const }),
    });
    if (!test.ok || !test.testToken)
      throw new Error(`the sandbox address ${a.email} did not pass its test: ${JSON.stringify(test)}`);
    await ctx.mailbox.emailAddresses.create(actor, a.owner, { ...input, testToken: test.testToken });
  }

  const client = SANDBOX_PERSONAS.find((p) => p.behaviour === 'replies')!;
  await ctx.tasks.tasks.create(actor, {
    projectId: rollout.id,
    title: 'Harmonogram wdrożenia',
    employeeIds: [created.admin.id],
    contactIds: [contactIds[client.email]!],
  });

  return {
    workspaceId: ws,
    workspaceName: DEMO_WORKSPACE_NAME,
    email: DEMO_ADMIN_EMAIL,
    password: created.password,
  };
}
