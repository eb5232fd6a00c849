export type Lang = 'pl' | 'en';

/** Picks pl or en from an Accept-Language header (first supported tag wins), else `fallback`. */
export function pickLanguage(header: string | undefined, fallback: Lang = 'en'): Lang {
  if (!header) return fallback;
  const tags = header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) : 1 };
    })
    .filter((t) => t.tag && !Number.isNaN(t.q))
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    if (tag === 'pl' || tag.startsWith('pl-')) return 'pl';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return fallback;
}
