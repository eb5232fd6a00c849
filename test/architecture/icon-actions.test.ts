import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesUnder } from '../helpers/source-files.js';

/**
 * Icon-only buttons (the rule, one for the whole UI): every one has an accessible name in the UI
 * language, and its meaning is reachable on touch. Mantine's `ActionIcon` is used only inside
 * `shared/ui/icon-action.tsx`, which requires a `label` (→ `aria-label`) and shows it in a tooltip
 * that opens on hover, focus and touch; a `CloseButton` (the ✕ that clears a field) names itself.
 */
const WEB = join(import.meta.dirname, '../../web/src');
const ICON_ACTION = 'shared/ui/icon-action.tsx';

/** The opening tags `<Name …>` in `text` (braces counted, so `=>` inside props does not end one). */
function openingTags(text: string, name: string): string[] {
  const tags: string[] = [];
  for (let at = text.indexOf(`<${name}`); at >= 0; at = text.indexOf(`<${name}`, at + 1)) {
    const after = text[at + name.length + 1];
    if (after && /[\w.]/.test(after)) continue; // <ActionIconGroup, <ActionIcon.Group
    let depth = 0;
    let end = at;
    for (; end < text.length; end++) {
      const c = text[end];
      if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (c === '>' && depth === 0) break;
    }
    tags.push(text.slice(at, end + 1));
  }
  return tags;
}

const files = filesUnder(WEB, (p) => p.endsWith('.tsx')).map((file) => ({
  name: relative(WEB, file),
  text: readFileSync(file, 'utf8'),
}));
const unnamed = (component: string, attribute: RegExp) =>
  files.flatMap(({ name, text }) =>
    openingTags(text, component)
      .filter((tag) => !attribute.test(tag))
      .map((tag) => `${name}: ${tag.replace(/\s+/g, ' ').slice(0, 100)}`),
  );

describe('icon-only buttons have a name, and show it on touch', () => {
  it('finds the tags it checks (the check itself works)', () => {
    expect(openingTags('<ActionIcon size="sm" onClick={() => go(1)}>x</ActionIcon>', 'ActionIcon')).toEqual([
      '<ActionIcon size="sm" onClick={() => go(1)}>',
    ]);
    expect(openingTags('<ActionIcon.Group><ActionIconX /></ActionIcon.Group>', 'ActionIcon')).toEqual([]);
    expect(files.some((f) => f.name.endsWith(ICON_ACTION))).toBe(true);
    expect(files.flatMap((f) => openingTags(f.text, 'IconAction')).length).toBeGreaterThan(5);
  });

  it('every ActionIcon has an aria-label', () => {
    expect(unnamed('ActionIcon', /\saria-label=/)).toEqual([]);
  });

  it('ActionIcon is used only through IconAction (label + tooltip on touch)', () => {
    const users = files
      .filter(({ text }) => /import\s*\{[^}]*\bActionIcon\b[^}]*\}\s*from\s*'@mantine\/core'/.test(text))
      .map(({ name }) => name);
    expect(users).toEqual([ICON_ACTION]);
    const own = files.find((f) => f.name === ICON_ACTION)!.text;
    expect(own).toMatch(/hover: true, focus: true, touch: true/);
    expect(own).toMatch(/aria-label=\{label\}/);
  });

  it('every IconAction has a label, every CloseButton an aria-label', () => {
    expect(unnamed('IconAction', /\slabel=/)).toEqual([]);
    expect(unnamed('CloseButton', /\saria-label=/)).toEqual([]);
  });
});
