import { describe, expect, it } from 'vitest';
import { oauthMailHosts } from './oauth-mail-hosts.js';

describe('oauthMailHosts: where a provider’s tokens may go', () => {
  it('lists the preset hosts of each provider, nothing else', () => {
    expect(oauthMailHosts('google')).toEqual(['imap.gmail.com', 'pop.gmail.com', 'smtp.gmail.com']);
    expect(oauthMailHosts('microsoft')).toEqual([
      'outlook.office365.com',
      'smtp-mail.outlook.com',
      'smtp.office365.com',
    ]);
  });
});
