/**
 * The only ways text leaves the action: a log line, an output value, the job summary. Each has
 * one function here, and every sink goes through it, so no value (a user's or AWS's) can start a
 * line, run a workflow command or render as markdown, whatever the code that built the message.
 */

// C0 and C1 controls (tab aside), DEL, and the Unicode line and paragraph separators
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g

/** True when the text holds a character that could break a line (a newline, an escape, ...). */
export function hasControl(text: string): boolean {
  return new RegExp(CONTROL_RE.source).test(text)
}

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r' }

/** The text on one line: every control character written out (`\n`, `\u001b`), so nothing breaks the line. */
export function oneLine(text: string): string {
  return text.replace(CONTROL_RE, c => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/**
 * A line for the workflow log (or a terminal): one line, never a workflow command. The runner
 * reads `::cmd::` at the start of a line (after blanks) and the legacy `##[cmd]` anywhere in it.
 */
export function logLine(text: string): string {
  const line = oneLine(text).replaceAll('##[', '#\\#[')
  return /^\s*::/.test(line) ? `> ${line}` : line
}

/**
 * JSON on one line that is never a workflow command: the same data, `#` written `\u0023` where it would start
 * one.
 */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replaceAll('##[', '#\\u0023[')
}

/**
 * An output value: each of its lines made a log line (a multi-line output such as `plan` stays multi-line).
 */
export function outputValue(text: string): string {
  return text
    .split('\n')
    .map(l => (l === '' ? l : logLine(l)))
    .join('\n')
}

/** Markup for the job summary; only `md` and `markup` make it, so every value in it has been escaped. */
export class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text
  }
}

/**
 * Text for markdown and HTML: one line, with every character other than letters, digits, space,
 * `-` and `,` written as a character reference, which renders as itself and never as markup
 * (no heading, code fence, link, image, table cell or tag).
 */
export function escapeMarkup(text: string): string {
  return oneLine(text).replace(/[^A-Za-z0-9 ,-]/gu, c => `&#${c.codePointAt(0)};`)
}

type Piece = string | number | Markup | undefined | readonly Markup[]

/** A template for summary markup: the template's own text is kept, every value is escaped. */
export function md(strings: TemplateStringsArray, ...values: Piece[]): Markup {
  let out = strings[0]
  values.forEach((v, i) => {
    out += piece(v) + strings[i + 1]
  })
  return new Markup(out)
}

function piece(v: Piece): string {
  if (v === undefined) return ''
  if (v instanceof Markup) return v.text
  if (Array.isArray(v)) return (v as readonly Markup[]).map(m => m.text).join('')
  return escapeMarkup(String(v))
}

/** Joins markup pieces with a separator of our own. */
export function joinMarkup(parts: readonly Markup[], separator: string): Markup {
  return new Markup(parts.map(p => p.text).join(separator))
}
