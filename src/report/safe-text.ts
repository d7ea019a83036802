/**
 * The only ways text leaves the action: a log line, an output value, the job summary. Each has
 * one function here, and every sink goes through it, so no value (a user's or AWS's) can start a
 * line, run a workflow command or render as markdown, whatever the code that built the message.
 */

// C0 and C1 controls (tab aside), DEL, and the Unicode line and paragraph separators
// eslint-disable-next-line no-control-regex
const CONTROL_RE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029]/g
// Unicode format characters (Cf): invisible, and the bidi controls among them (U+202A–U+202E,
// U+2066–U+2069, U+200E/F, U+061C) reorder the text around them, so "prod-\u202egnp.exe" shows as "prod-exe.png"
const FORMAT_RE = /\p{Cf}/gu
/** What `oneLine` writes out: controls and format characters. */
const UNSAFE_RE = new RegExp(`${CONTROL_RE.source}|${FORMAT_RE.source}`, 'gu')

/** True when the text holds a character that could break a line (a newline, an escape, ...). */
export function hasControl(text: string): boolean {
  return new RegExp(CONTROL_RE.source).test(text)
}

/** `U+202E`: how a message names a character it will not show. */
export const codePoint = (c: string): string =>
  `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`

/**
 * The first character of an input that no input may hold: a format character, or a control other
 * than the tab and the line breaks of an input of several lines. Undefined when there is none.
 */
export function forbiddenInInput(text: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]|\p{Cf}/u.exec(text)?.[0]
}

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r' }

/** `\u202e`, `\u{e0041}`: a character written out. */
const escaped = (c: string): string => {
  const n = c.codePointAt(0)!
  return n > 0xffff ? `\\u{${n.toString(16)}}` : `\\u${n.toString(16).padStart(4, '0')}`
}

/**
 * The text on one line, read in the order it is written: every control character and every format
 * character (a bidi control among them) written out (`\n`, `\u001b`, `\u202e`), so nothing breaks or
 * reorders the line.
 */
export function oneLine(text: string): string {
  return text.replace(UNSAFE_RE, c => NAMED[c] ?? escaped(c))
}

/**
 * A value a user gave, quoted for a message: a URL's credentials (up to the last '@': a password may
 * hold '/', '?' or '#' unescaped), query and fragment are never echoed, they may hold a secret. A
 * value is taken for a URL when it has a scheme, credentials or a path; another (a stage name with a
 * '#') is echoed whole.
 */
export function redactUrl(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\/|[@/]/i.test(value)) return value
  return withoutQuery(
    value.replace(
      /^([a-z][a-z0-9+.-]*:\/\/)?.*@/is,
      (_m, scheme: string | undefined) => `${scheme ?? ''}***@`
    )
  )
}

/** A URL of ours (the ready probe's) with the user's query and fragment left out. */
export const withoutQuery = (url: string): string => url.replace(/([?#]).*$/s, '$1***')

/** `"value"` for a message about an input, its secrets left out (see `redactUrl`). */
export const quoted = (value: string): string => `"${redactUrl(value)}"`

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
  // a format character, C1 control, DEL or line separator (JSON.stringify writes them raw) is only
  // ever inside a JSON string, where an escape reads as the same data
  return JSON.stringify(value)
    .replaceAll('##[', '#\\u0023[')
    .replace(UNSAFE_RE, c =>
      c
        .split('')
        .map(u => `\\u${u.charCodeAt(0).toString(16).padStart(4, '0')}`)
        .join('')
    )
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
