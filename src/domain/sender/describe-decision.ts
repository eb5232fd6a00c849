import { isVisiblyBlank } from '../visible-text.js';
import type {
  ExclusionReason,
  SenderDecision,
  SenderOption,
  SenderReason,
  SenderTieBreak,
} from './sender-types.js';

/** Names the decision itself does not know (it only carries ids). */
export interface DecisionLabels {
  employeeName?: string;
  projectName?: string;
  /** Excluded addresses left out of `decision.excluded` (a paged preview): one sentence counts them. */
  excludedNotShown?: number;
}

type Lang = 'pl' | 'en';

interface Phrases {
  sendsAs: (who: string, where: string, sender: string, because: string) => string;
  who: (name: string | undefined) => string;
  where: (projectId: string | null, projectName: string | undefined) => string;
  rule: Record<SenderReason['rule'], string>;
  tieBreak: (tieBreak: SenderTieBreak, count: number) => string;
  nothing: (who: string, where: string) => string;
  others: (list: string) => string;
  threadIgnored: (address: string) => string;
  excluded: (address: string, reasons: string) => string;
  notShown: (count: number) => string;
  reason: (reason: ExclusionReason, projectId: string | null) => string;
  quote: (text: string) => string;
}

const EN: Phrases = {
  sendsAs: (who, where, sender, because) => `${who}${where} will send as ${sender}, because ${because}.`,
  who: (name) => name ?? 'The employee',
  where: (projectId, projectName) =>
    projectId === null
      ? ' outside any project'
      : projectName
        ? ` in project “${projectName}”`
        : ' in this project',
  rule: {
    thread_continuation: 'the conversation with this contact in this task last used this address',
    own_bound_to_project: 'it is the employee’s own address assigned to this project',
    own_all_projects: 'it is the employee’s own address for all projects',
    company_bound_to_project:
      'it is a company address assigned to this project and no own address of the employee applies',
    company_all_projects:
      'it is a company address for all projects and no own or project-specific address applies',
    system_sender: 'no external address applies (this is the system sender set up by the operator)',
  },
  tieBreak: (tieBreak, count) => {
    const of = `of ${count} such addresses`;
    if (tieBreak === 'last_used_in_task') return `${of} it is the one last used in this task`;
    if (tieBreak === 'last_used') return `${of} it is the one the employee used most recently`;
    if (tieBreak === 'oldest') return `${of} it is the oldest`;
    return `${of} it was created at the same time as another, so identifier order decides`;
  },
  nothing: (who, where) =>
    `${who}${where} has no sender address available: the comment will be saved, but no email will be sent. Add or enable an address in the settings.`,
  others: (list) => `Other addresses to choose from: ${list}.`,
  threadIgnored: (address) =>
    `The address last used with this contact in this task (${address}) no longer applies, so the usual order decides.`,
  excluded: (address, reasons) => `Not available: ${address} — ${reasons}.`,
  notShown: (count) =>
    count === 1 ? '1 more address is not available.' : `${count} more addresses are not available.`,
  reason: (reason, projectId) => {
    switch (reason) {
      case 'disabled':
        return 'disabled';
      case 'needs_attention':
        return 'needs attention (sign-in failed, sending paused)';
      case 'needs_reconnect':
        return 'needs reconnecting';
      case 'bound_to_other_projects':
        return projectId === null ? 'assigned to specific projects only' : 'assigned to other projects';
      case 'no_access':
        return 'no access';
      case 'not_owner':
        return 'another employee’s address';
    }
  },
  quote: (text) => `“${text}”`,
};

const PL: Phrases = {
  sendsAs: (who, where, sender, because) => `${who}${where} wyśle jako ${sender}, ponieważ ${because}.`,
  who: (name) => name ?? 'Pracownik',
  where: (projectId, projectName) =>
    projectId === null
      ? ' poza projektami'
      : projectName
        ? ` w projekcie „${projectName}”`
        : ' w tym projekcie',
  rule: {
    thread_continuation: 'z tego adresu ostatnio prowadzono korespondencję z tym kontaktem w tym zadaniu',
    own_bound_to_project: 'to własny adres pracownika przypisany do tego projektu',
    own_all_projects: 'to własny adres pracownika dla wszystkich projektów',
    company_bound_to_project:
      'to adres firmowy przypisany do tego projektu, a żaden własny adres pracownika tu nie pasuje',
    company_all_projects:
      'to adres firmowy dla wszystkich projektów, a nie pasuje tu żaden adres własny ani przypisany do projektu',
    system_sender:
      'nie pasuje żaden adres zewnętrzny (to nadawca systemowy ustawiony przez administratora serwera)',
  },
  tieBreak: (tieBreak, count) => {
    const of = `spośród ${count} takich adresów`;
    if (tieBreak === 'last_used_in_task') return `${of} ten był ostatnio użyty w tym zadaniu`;
    if (tieBreak === 'last_used') return `${of} ten był ostatnio używany przez pracownika`;
    if (tieBreak === 'oldest') return `${of} ten jest najstarszy`;
    return `${of} ten ma tę samą datę utworzenia co inny, więc decyduje kolejność identyfikatorów`;
  },
  nothing: (who, where) =>
    `${who}${where} nie ma żadnego dostępnego adresu nadawcy: komentarz zostanie zapisany, ale e-mail nie zostanie wysłany. Dodaj lub włącz adres w ustawieniach.`,
  others: (list) => `Można też wybrać: ${list}.`,
  threadIgnored: (address) =>
    `Adres ostatnio używany w korespondencji z tym kontaktem w tym zadaniu (${address}) nie jest już dostępny, więc obowiązuje zwykła kolejność.`,
  excluded: (address, reasons) => `Niedostępny: ${address} — ${reasons}.`,
  notShown: (count) => `Niedostępne są jeszcze inne adresy: ${count}.`,
  reason: (reason, projectId) => {
    switch (reason) {
      case 'disabled':
        return 'wyłączony';
      case 'needs_attention':
        return 'wymaga uwagi (logowanie nie powiodło się, wysyłka wstrzymana)';
      case 'needs_reconnect':
        return 'wymaga ponownego połączenia';
      case 'bound_to_other_projects':
        return projectId === null
          ? 'przypisany tylko do wybranych projektów'
          : 'przypisany do innych projektów';
      case 'no_access':
        return 'brak dostępu';
      case 'not_owner':
        return 'adres innego pracownika';
    }
  },
  quote: (text) => `„${text}”`,
};

const PHRASES: Record<Lang, Phrases> = { en: EN, pl: PL };

/**
 * Short sentences for the sender preview panel (M28), in Polish or English: who sends as
 * what and why, the other choices, a thread address that stopped applying, and every
 * excluded address with its reasons. Pass labels to name the employee and the project.
 */
export function describeDecision(
  decision: SenderDecision,
  lang: Lang,
  labels: DecisionLabels = {},
): string[] {
  const p = PHRASES[lang];
  const who = p.who(labels.employeeName);
  const where = p.where(decision.projectId, labels.projectName);
  const lines: string[] = [];
  const chosen = decision.default;
  if (chosen === null) {
    lines.push(p.nothing(who, where));
  } else {
    lines.push(p.sendsAs(who, where, formatSender(chosen, p), explain(chosen.because, p)));
    const others = decision.choices.filter((option) => option !== chosen);
    if (others.length > 0) lines.push(p.others(others.map((option) => formatSender(option, p)).join(', ')));
  }
  if (decision.thread && !decision.thread.applied) {
    const threadId = decision.thread.addressId;
    const gone = decision.excluded.find((entry) => entry.address.id === threadId)?.address;
    lines.push(p.threadIgnored(gone ? formatSender(gone, p) : threadId));
  }
  for (const { address, reasons } of decision.excluded) {
    const text = reasons.map((reason) => p.reason(reason, decision.projectId)).join(', ');
    lines.push(p.excluded(formatSender(address, p), text));
  }
  if (labels.excludedNotShown) lines.push(p.notShown(labels.excludedNotShown));
  return lines;
}

function explain(because: SenderReason, p: Phrases): string {
  const rule = p.rule[because.rule];
  if (because.tieBreak === undefined || because.tiedCount === undefined) return rule;
  return `${rule}; ${p.tieBreak(because.tieBreak, because.tiedCount)}`;
}

function formatSender(sender: Pick<SenderOption, 'email' | 'displayName'>, p: Phrases): string {
  const name = sender.displayName.trim();
  return isVisiblyBlank(name) ? `<${sender.email}>` : `${p.quote(name)} <${sender.email}>`;
}
