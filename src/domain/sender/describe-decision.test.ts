import { describe, expect, it } from 'vitest';
import { describeDecision } from './describe-decision.js';
import { resolveSender, type SenderCandidate, type SenderContext } from './resolve-sender.js';

const E = 'emp-1';

function addr(id: string, overrides: Partial<SenderCandidate> = {}): SenderCandidate {
  return {
    id,
    scope: 'company',
    ownerEmployeeId: null,
    email: `${id}@firma.pl`,
    displayName: `Name ${id}`,
    active: true,
    health: 'ok',
    projectIds: [],
    accessEmployeeIds: [],
    accessGroupIds: [],
    createdAt: new Date('2024-01-01T00:00:00Z'),
    ...overrides,
  };
}

function ctx(overrides: Partial<SenderContext> = {}): SenderContext {
  return { employeeId: E, employeeGroupIds: [], projectId: 'p1', candidates: [], usage: [], ...overrides };
}

const labels = { employeeName: 'Anna Nowak', projectName: 'Alfa' };

describe('describeDecision', () => {
  it('explains the default, the other choices and every exclusion (en)', () => {
    const decision = resolveSender(
      ctx({
        candidates: [
          addr('own', { scope: 'employee', ownerEmployeeId: E, projectIds: ['p1'] }),
          addr('biuro'),
          addr('old', { active: false, projectIds: ['p2'] }),
        ],
      }),
    );
    expect(describeDecision(decision, 'en', labels)).toEqual([
      'Anna Nowak in project “Alfa” will send as “Name own” <own@firma.pl>, because it is the employee’s own address assigned to this project.',
      'Other addresses to choose from: “Name biuro” <biuro@firma.pl>.',
      'Not available: “Name old” <old@firma.pl> — disabled, assigned to other projects.',
    ]);
  });

  it('speaks natural Polish, including tie-breaks and no project', () => {
    const decision = resolveSender(
      ctx({
        projectId: null,
        candidates: [
          addr('a'),
          addr('b', { createdAt: new Date('2020-01-01') }),
          addr('x', { projectIds: ['p1'] }),
        ],
      }),
    );
    expect(describeDecision(decision, 'pl')).toEqual([
      'Pracownik poza projektami wyśle jako „Name b” <b@firma.pl>, ponieważ to adres firmowy dla wszystkich projektów, a nie pasuje tu żaden adres własny ani przypisany do projektu; spośród 2 takich adresów ten jest najstarszy.',
      'Można też wybrać: „Name a” <a@firma.pl>.',
      'Niedostępny: „Name x” <x@firma.pl> — przypisany tylko do wybranych projektów.',
    ]);
  });

  it('says when nothing applies, and when the system sender is used', () => {
    const none = resolveSender(
      ctx({ candidates: [addr('z', { health: 'needs_reconnect', accessGroupIds: ['g'] })] }),
    );
    expect(describeDecision(none, 'pl', labels)).toEqual([
      'Anna Nowak w projekcie „Alfa” nie ma żadnego dostępnego adresu nadawcy: komentarz zostanie zapisany, ale e-mail nie zostanie wysłany. Dodaj lub włącz adres w ustawieniach.',
      'Niedostępny: „Name z” <z@firma.pl> — wymaga ponownego połączenia, brak dostępu.',
    ]);
    const system = resolveSender(ctx({ systemSender: { email: 'noreply@firma.pl', displayName: '' } }));
    expect(describeDecision(system, 'en')).toEqual([
      'The employee in this project will send as <noreply@firma.pl>, because no external address applies (this is the system sender set up by the operator).',
    ]);
  });

  it('tells about thread continuation and a thread address that stopped applying', () => {
    const base = {
      taskId: 't',
      contactId: 'c',
      usage: [{ addressId: 'co', taskId: 't', contactId: 'c', usedAt: new Date() }],
    };
    const kept = resolveSender(
      ctx({ ...base, candidates: [addr('co'), addr('me', { scope: 'employee', ownerEmployeeId: E })] }),
    );
    expect(describeDecision(kept, 'pl')[0]).toBe(
      'Pracownik w tym projekcie wyśle jako „Name co” <co@firma.pl>, ponieważ z tego adresu ostatnio prowadzono korespondencję z tym kontaktem w tym zadaniu.',
    );
    const lost = resolveSender(
      ctx({ ...base, candidates: [addr('co', { health: 'needs_attention' }), addr('b')] }),
    );
    expect(describeDecision(lost, 'en')).toContain(
      'The address last used with this contact in this task (“Name co” <co@firma.pl>) no longer applies, so the usual order decides.',
    );
    expect(describeDecision(lost, 'en')).toContain(
      'Not available: “Name co” <co@firma.pl> — needs attention (sign-in failed, sending paused).',
    );
  });

  it('never leaves placeholders in any sentence', () => {
    const decision = resolveSender(
      ctx({
        taskId: 't',
        threadLastAddressId: 'gone',
        candidates: [
          addr('a', { scope: 'employee', ownerEmployeeId: 'emp-2' }),
          addr('b', { accessEmployeeIds: ['emp-3'] }),
          addr('c', { scope: 'employee', ownerEmployeeId: E }),
          addr('d', { scope: 'employee', ownerEmployeeId: E }),
        ],
        usage: [{ addressId: 'd', taskId: 't', contactId: null, usedAt: new Date() }],
      }),
    );
    for (const lang of ['pl', 'en'] as const) {
      const lines = describeDecision(decision, lang);
      expect(lines.length).toBe(5);
      for (const line of lines) expect(line).not.toMatch(/undefined|null|NaN|\$\{/);
    }
    expect(describeDecision(decision, 'en')[0]).toContain(
      'of 2 such addresses it is the one last used in this task',
    );
    expect(describeDecision(decision, 'pl')[2]).toContain('(gone)');
  });
});
