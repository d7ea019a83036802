/** What a job summary may hold, whatever the values in it: the checks the summary's injection tests share. */
import { expect } from '@jest/globals'

/**
 * A line of the summary's diagram: its kind, a node of ours with a label no value can end (no quote,
 * bracket, parenthesis, backtick, `|`, `<`, and a `#` or `;` only in an entity code such as `#34;`), or an
 * edge of ours between two nodes, with a label.
 */
export const MERMAID_LINE = new RegExp(
  `^(${[
    /flowchart LR/,
    / {2}caller\(\["caller"\]\)/,
    / {2}[a-zA-Z]+\["(?:[^"[\]()`|;<>#]|#\d+;)*"\]/,
    / {2}[a-zA-Z]+ (-->|-\.->)( \|"[^"|]*"\|)? [a-zA-Z]+/
  ]
    .map(r => r.source)
    .join('|')})$`
)

/**
 * Checks that nothing of a hostile value survives as markup in a summary: the diagram is our fence around
 * lines of our shapes; elsewhere no code fence, image, link or tag of a value, and no link to `host` (no
 * link of ours to it, no autolink: outside the HTML blocks, which markdown does not read, no `://host`).
 * Returns the summary's lines outside the diagram.
 */
export function expectInertSummary(summary: string, host: string): string[] {
  const lines = summary.split('\n')
  const fence = lines.indexOf('```mermaid')
  const end = lines.indexOf('```', fence + 1)
  for (const line of fence < 0 ? [] : lines.slice(fence + 1, end)) expect(line).toMatch(MERMAID_LINE)
  const rest = fence < 0 ? lines : [...lines.slice(0, fence), ...lines.slice(end + 1)]
  const text = rest.join('\n')
  expect(text).not.toContain('```')
  expect(text).not.toContain('![')
  expect(text).not.toContain('](')
  // every tag is one of ours: a value's "<" is a reference
  expect(text).not.toMatch(/<(?!\/?(table|tr|th|td|code|a|sub|pre|details|summary)\b)/)
  expect(text).not.toMatch(new RegExp(`href="[^"]*://${host.replace(/\./g, '\\.')}`))
  const table = [rest.indexOf('<table>'), rest.indexOf('</table>')]
  const markdown = table[0] < 0 ? rest : [...rest.slice(0, table[0]), ...rest.slice(table[1] + 1)]
  expect(markdown.filter(l => !l.startsWith('<pre>')).join('\n')).not.toContain(`://${host}`)
  return rest
}
