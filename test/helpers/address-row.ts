import type { EmailAddressInsert } from '../../src/db/repositories/email-address.repository.js';

/**
 * The columns of a stored address that tests inserting rows straight through the repository
 * do not care about (the test gate is tested through the API elsewhere): login = email, and
 * servers on an unreachable example domain.
 */
export function addressRow(
  values: Pick<EmailAddressInsert, 'workspaceId' | 'scope' | 'email'> & Partial<EmailAddressInsert>,
): EmailAddressInsert {
  const domain = values.email.slice(values.email.lastIndexOf('@') + 1);
  return {
    login: values.email,
    smtpHost: `smtp.${domain}`,
    smtpPort: 465,
    smtpSecurity: 'tls',
    incomingHost: `pop.${domain}`,
    incomingPort: 995,
    incomingSecurity: 'tls',
    ...values,
  };
}
