/**
 * How the suite's 5-minute budget is shared. Each benchmark's share is proportional to its
 * typical duration on an idle machine (`typicalMs`), not equal: an equal share gave the API
 * read benchmark (~53 s) 36 s and stopped it with no figures while later ones had time to spare.
 */
export interface Budgeted {
  typicalMs: number;
}

/** Each benchmark's share of `budgetMs`, in proportion to its typical duration. */
export function shares(benches: readonly Budgeted[], budgetMs: number): number[] {
  const total = benches.reduce((sum, b) => sum + Math.max(1, b.typicalMs), 0);
  return benches.map((b) => (budgetMs * Math.max(1, b.typicalMs)) / total);
}

/**
 * The most benchmark `index` may take when `leftMs` of the budget is left: what is left less the
 * shares of the ones after it, but never below its own share (nor above what is left). A run
 * that overran earlier eats into later benchmarks' slack first, then into their shares.
 */
export function capFor(index: number, leftMs: number, shareList: readonly number[]): number {
  const after = shareList.slice(index + 1).reduce((sum, s) => sum + s, 0);
  return Math.max(0, Math.min(leftMs, Math.max(shareList[index] ?? 0, leftMs - after)));
}
