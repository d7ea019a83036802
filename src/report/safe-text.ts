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

/** Markdown for the job summary; only `md`, `htmlBlock` and `mermaidBlock` make it, so every value in it is escaped. */
export class Markup {
  readonly kind = 'markdown'
  constructor(readonly text: string) {}
  toString(): string {
    return this.text
  }
}

/**
 * HTML for inside an HTML block of the summary (a table's rows, a `<pre>`): markdown reads nothing there, so
 * only HTML's own characters are escaped. Never markdown: only `htmlBlock` puts it in the summary.
 */
export class Html {
  readonly kind = 'html'
  constructor(readonly text: string) {}
  toString(): string {
    return this.text
  }
}

const reference = (c: string): string => `&#${c.codePointAt(0)};`

/**
 * Text for inside HTML: one line, with `&`, `<`, `>` and both quotes written as character references (no tag,
 * entity or attribute of its own), and, should markdown ever read the line, the characters of its code, links,
 * emphasis, escapes, cells, headings, mentions and math too (`` ` [ ] * ~ \ | # @ $ ``); everything else as
 * itself, so an invoke URL or an ARN reads as it is (markdown does not autolink inside an HTML block).
 */
export function escapeHtml(text: string): string {
  return oneLine(text).replace(/[&<>"'`[\]*~\\|#@$]/g, reference)
}

/**
 * Text for markdown: `&`, `<` and `>` as for HTML (no tag forms, so a quote is text), and every character
 * markdown reads as markup written as a character reference, which renders as itself: code (`` ` ``),
 * emphasis (`*`, `~`, a `_` not inside a word), links and images (`[`, `]`), escapes (`\`), table cells
 * (`|`), headings and issue links (`#`), mentions (`@`), math (`$`); the `:` of `://` and the `.` of `www.`
 * (no autolink); and at its start a list, quote or code marker (`-`, `+`, `=`, `1.`, a blank). A URL or an
 * ARN stays readable: only its `://` is changed.
 */
export function escapeMarkup(text: string): string {
  // one pass: a reference written is never read again
  return oneLine(text).replace(MARKDOWN_RE, m => [...m].map(reference).join(''))
}

const MARKDOWN_RE =
  /[&<>`*~[\]\\|#@$]|_(?![A-Za-z0-9])|(?<![A-Za-z0-9])_|:(?=\/\/)|(?<=\bwww)\.|^(?:[-+=\s]|\d+(?=[.)]))/gi

type Piece = string | number | Markup | undefined | readonly Markup[]
type HtmlPiece = string | number | Html | undefined | readonly Html[]

/** A template for summary markdown: the template's own text is kept, every value is escaped for markdown. */
export function md(strings: TemplateStringsArray, ...values: Piece[]): Markup {
  return new Markup(fill(strings, values, v => piece(v, Markup, escapeMarkup)))
}

/** A template for HTML inside a block: the template's own text is kept, every value is escaped for HTML. */
export function html(strings: TemplateStringsArray, ...values: HtmlPiece[]): Html {
  return new Html(fill(strings, values, v => piece(v, Html, escapeHtml)))
}

function fill<P>(strings: TemplateStringsArray, values: P[], each: (v: P) => string): string {
  let out = strings[0]
  values.forEach((v, i) => {
    out += each(v) + strings[i + 1]
  })
  return out
}

function piece<M extends Markup | Html>(
  v: string | number | M | undefined | readonly M[],
  kind: new (text: string) => M,
  escape: (text: string) => string
): string {
  if (v === undefined) return ''
  if (v instanceof kind) return v.text
  if (Array.isArray(v)) return (v as readonly M[]).map(m => m.text).join('')
  return escape(String(v))
}

/**
 * An HTML block of ours in the summary: `<tag>`, the lines, `</tag>`, with no blank line, so markdown
 * reads none of it (GitHub's markdown takes an HTML block as it is, up to the blank line or `</pre>`).
 */
export function htmlBlock(tag: 'table' | 'pre', lines: readonly Html[]): Markup {
  return new Markup(
    tag === 'pre'
      ? `<pre>${lines.map(l => l.text).join('<br>')}</pre>`
      : [`<${tag}>`, ...lines.map(l => l.text), `</${tag}>`].join('\n')
  )
}

/**
 * Text for a label of a mermaid diagram: one line, and every character but letters, digits, space and
 * `.,:/_+=-` written as mermaid's entity code (`#34;` for `"`), so no value ends a label, starts a node or an
 * edge, or closes the diagram's code fence.
 */
export function escapeMermaid(text: string): string {
  return oneLine(text).replace(/[^A-Za-z0-9 .,:/_+=-]/gu, c => `#${c.codePointAt(0)};`)
}

/** A template for a line of a mermaid diagram: the template's text is kept, every value escaped for mermaid. */
export function mermaid(strings: TemplateStringsArray, ...values: (string | number)[]): MermaidLine {
  return new MermaidLine(fill(strings, values, v => escapeMermaid(String(v))))
}

/** A line of a mermaid diagram; only `mermaid` makes it. */
export class MermaidLine {
  readonly kind = 'mermaid'
  constructor(readonly text: string) {}
}

/** A mermaid diagram in the summary: its code fence, its kind, then lines of ours, each indented. */
export function mermaidBlock(lines: readonly MermaidLine[]): Markup {
  const [first, ...rest] = lines.map(l => l.text)
  return new Markup(['```mermaid', first, ...rest.map(l => `  ${l}`), '```'].join('\n'))
}

/** Joins markup pieces with a separator of our own. */
export function joinMarkup(parts: readonly Markup[], separator: string): Markup {
  return new Markup(parts.map(p => p.text).join(separator))
}

/** Joins HTML pieces with a separator of our own. */
export function joinHtml(parts: readonly Html[], separator: string): Html {
  return new Html(parts.map(p => p.text).join(separator))
}
