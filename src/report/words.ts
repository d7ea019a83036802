/** Words for people: a count with its noun agreeing ("1 step", "2 steps"). */

/** `1 write`, `3 writes`, `0 steps`; `plural` for a noun not made with an s. */
export function counted(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`
}
