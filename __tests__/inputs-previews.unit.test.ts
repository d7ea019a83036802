// The previews' inputs (features/previews/inputs.ts) and the reading every boolean input shares
// (config/input-row.ts parseBoolean), with the command line's help line of an input (usageOf) and the table's
// lookup (inputRow). Expected values are written out.
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/base/errors.js'
import { parseBoolean, usageOf, type InputRow } from '../src/config/input-row.js'
import { inputRow } from '../src/config/input-table.js'
import { parsePreviews, type PreviewsConfig } from '../src/features/previews/inputs.js'

function refusal(fn: () => unknown): { input: string; message: string } {
  try {
    fn()
  } catch (error) {
    if (error instanceof InputError) return { input: error.input, message: error.message }
    throw error
  }
  throw new Error('expected an InputError')
}
const refused = (input: string, message: string) => ({ input, message: `Input '${input}': ${message}` })
const reader = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? ''

describe('parsePreviews', () => {
  it.each<[Record<string, string>, PreviewsConfig | undefined]>([
    [{}, undefined],
    [{ 'github-token': 'tok' }, undefined],
    [{ 'pull-request-comment': 'false', 'github-token': 'tok' }, undefined],
    [
      { 'pull-request-comment': ' TRUE ', 'github-token': ' tok ' },
      { token: 'tok', comment: true, environment: undefined }
    ],
    [
      { 'deployment-environment': ' preview-1 ', 'github-token': 'tok' },
      { token: 'tok', comment: false, environment: 'preview-1' }
    ],
    [
      { 'pull-request-comment': 'true', 'deployment-environment': 'e'.repeat(255), 'github-token': 'tok' },
      { token: 'tok', comment: true, environment: 'e'.repeat(255) }
    ]
  ])('%j reads as %j', (inputs, want) => {
    expect(parsePreviews(reader(inputs))).toEqual(want)
  })

  it.each(['e'.repeat(256), 'a\nb', 'a\u001bb'])('refuses the environment %j, saying what a name is', env => {
    expect(
      refusal(() => parsePreviews(reader({ 'deployment-environment': env, 'github-token': 'tok' })))
    ).toEqual(
      refused('deployment-environment', 'is not an environment name: one line, at most 255 characters')
    )
  })

  it('needs a token, naming the input that needs it', () => {
    expect(
      refusal(() => parsePreviews(reader({ 'pull-request-comment': 'true', 'github-token': ' ' })))
    ).toEqual(
      refused(
        'github-token',
        "is empty: 'pull-request-comment' needs a token for GitHub's API (the default is the workflow's own, " +
          'github.token)'
      )
    )
    expect(refusal(() => parsePreviews(reader({ 'deployment-environment': 'prod' })))).toEqual(
      refused(
        'github-token',
        "is empty: 'deployment-environment' needs a token for GitHub's API (the default is the workflow's own, " +
          'github.token)'
      )
    )
  })

  it('refuses a pull-request-comment that is not a boolean', () => {
    expect(refusal(() => parsePreviews(reader({ 'pull-request-comment': 'yes' })))).toEqual(
      refused('pull-request-comment', `"yes" is not a boolean: use 'true' or 'false'`)
    )
  })
})

describe('parseBoolean', () => {
  it.each([
    ['', false, false],
    ['', true, true],
    ['true', false, true],
    ['TRUE', false, true],
    ['False', true, false],
    ['false', true, false]
  ])('%j with the fallback %s reads as %s', (value, fallback, want) => {
    expect(parseBoolean('x', value, fallback)).toBe(want)
  })

  it.each(['yes', '1', 'on', 'truex', ' true'])('refuses %j, naming the input', value => {
    expect(refusal(() => parseBoolean('some-input', value, false))).toEqual(
      refused('some-input', `"${value}" is not a boolean: use 'true' or 'false'`)
    )
  })
})

describe('usageOf: an input in the command line help', () => {
  const row = (more: Partial<InputRow>): InputRow => ({
    name: 'stage',
    type: 'string',
    description: 'the stage',
    flag: { arg: 'NAME' },
    modes: 'both',
    ...more
  })
  const col = ' '.repeat(28)

  it.each<[Partial<InputRow>, string[]]>([
    [{ flag: false }, []],
    [{}, ['  --stage NAME              the stage']],
    [{ description: '' }, ['  --stage NAME']],
    [{ description: 'one\ntwo' }, ['  --stage NAME              one', `${col}two`]],
    [{ name: 'cors', flag: { no: true }, description: 'on' }, ['  --cors / --no-cors        on']],
    [{ name: 'dry-run', flag: {}, description: 'plan' }, ['  --dry-run                 plan']],
    // a flag of exactly 24 characters keeps its description on its line
    [{ name: 'x'.repeat(17), description: 'd' }, [`  --${'x'.repeat(17)} NAME  d`]],
    // a longer one puts it on the next
    [{ name: 'x'.repeat(18), description: 'd\ne' }, [`  --${'x'.repeat(18)} NAME`, `${col}d`, `${col}e`]],
    [{ name: 'x'.repeat(18), description: '' }, [`  --${'x'.repeat(18)} NAME`]]
  ])('%j', (more, lines) => {
    expect(usageOf(row(more))).toEqual(lines)
  })
})

describe('inputRow', () => {
  it("finds an input's row, and calls a name no row has a mistake of the code's", () => {
    expect(inputRow('timeout')).toMatchObject({
      name: 'timeout',
      type: 'number',
      default: 900,
      modes: 'both'
    })
    expect(inputRow('cors')).toMatchObject({ name: 'cors', type: 'boolean', default: true, modes: 'create' })
    expect(() => inputRow('no-such-input')).toThrow(
      "internal error: no input 'no-such-input' in the inputs table"
    )
  })
})
