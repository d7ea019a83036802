/** Words for people: a count with its noun agreeing ("1 step", "2 steps"). */

/** `1 write`, `3 writes`, `0 steps`; `plural` for a noun not made with an s. */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`
}

/** One setting an update changes: what it is, what the run found (absent: nothing, a new thing), what is wanted. */
export interface Change {
  what: string
  from?: string
  to: string
}

/** `throttle 100/200 → 50/100`; `throttle 50/100` for a setting made where there was none to change. */
export function changeText(change: Change): string {
  return change.from === undefined
    ? `${change.what} ${change.to}`
    : `${change.what} ${change.from} → ${change.to}`
}

/** The changes of one update, for its step's text. */
export const changesText = (changes: readonly Change[]): string => changes.map(changeText).join(', ')
