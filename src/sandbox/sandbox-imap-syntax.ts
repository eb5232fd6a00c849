/** IMAP command syntax for the sandbox server: tokenizer, atoms, sequence sets and dates. */

export type Token = string | Buffer | Token[];

/** Splits the text parts of a command into atoms, quoted strings and lists; literals stay Buffers. */
export function tokenize(parts: (string | Buffer)[]): Token[] {
  const root: Token[] = [];
  const stack: Token[][] = [root];
  for (const part of parts) {
    if (Buffer.isBuffer(part)) {
      stack.at(-1)!.push(part);
      continue;
    }
    let i = 0;
    while (i < part.length) {
      const c = part[i]!;
      if (c === ' ') i++;
      else if (c === '(') {
        const list: Token[] = [];
        stack.at(-1)!.push(list);
        stack.push(list);
        i++;
      } else if (c === ')') {
        if (stack.length > 1) stack.pop();
        i++;
      } else if (c === '"') {
        let out = '';
        i++;
        while (i < part.length && part[i] !== '"') {
          if (part[i] === '\\') i++;
          out += part[i] ?? '';
          i++;
        }
        i++;
        stack.at(-1)!.push(out);
      } else {
        let out = '';
        let depth = 0;
        while (i < part.length) {
          const d = part[i]!;
          if (depth === 0 && (d === ' ' || d === '(' || d === ')')) break;
          if (d === '[') depth++;
          if (d === ']') depth--;
          out += d;
          i++;
        }
        stack.at(-1)!.push(out);
      }
    }
  }
  return root;
}

export const text = (t: Token | undefined): string =>
  t === undefined ? '' : Buffer.isBuffer(t) ? t.toString('utf8') : Array.isArray(t) ? '' : t;

export const quote = (s: string) => `"${s.replace(/["\\]/g, (m) => `\\${m}`)}"`;

/** RFC 3501 sequence set over `values` (sequence numbers or UIDs); `*` is the largest. */
export function inSet(set: string, max: number): (n: number) => boolean {
  const ranges = set.split(',').map((r) => {
    const [a, b = a] = r.split(':') as [string, string?];
    const x = a === '*' ? max : Number(a);
    const y = b === '*' ? max : Number(b);
    return [Math.min(x, y), Math.max(x, y)] as const;
  });
  if (ranges.some(([x, y]) => !Number.isInteger(x) || !Number.isInteger(y))) throw new Error('bad set');
  return (n) => ranges.some(([x, y]) => n >= x && n <= y);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const imapDate = (d: Date) =>
  `"${String(d.getUTCDate()).padStart(2, '0')}-${MONTHS[d.getUTCMonth()]}-${d.getUTCFullYear()} ${d.toISOString().slice(11, 19)} +0000"`;
