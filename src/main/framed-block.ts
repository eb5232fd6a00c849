/**
 * Lines between two rules, with a blank line around: one-time logins must stand out from log
 * lines. No side borders, so each line still reads (and parses) as `  password: …`.
 */
export function framedBlock(lines: string[]): string {
  const rule = '═'.repeat(Math.max(...lines.map((l) => l.length)) + 4);
  return ['', rule, ...lines.map((l) => (l ? `  ${l}` : '')), rule, ''].join('\n');
}
