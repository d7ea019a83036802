/** action.yml, the constants the code uses and the README tables must agree. */
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Defaults, Inputs, Outputs } from '../src/constants.js'
import { actionYml, node24, ROOT } from './support/run-action.js'

const yml = actionYml()
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')

function tableNames(heading: string): string[] {
  const section = readme.split(`## ${heading}\n`)[1].split('\n## ')[0]
  return [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map(m => m[1])
}

describe('action.yml', () => {
  it('declares exactly the inputs the code reads', () => {
    expect(Object.keys(yml.inputs).sort()).toEqual(Object.values(Inputs).sort())
  })

  it('declares exactly the outputs the code sets', () => {
    expect(Object.keys(yml.outputs).sort()).toEqual(Object.values(Outputs).sort())
  })

  it('has the defaults the code assumes, for every input (and none where the code has none)', () => {
    // Defaults is keyed by the input's name in camelCase ('timeout' is kept in seconds)
    const key = (input: string): string =>
      input === 'timeout' ? 'timeoutSeconds' : input.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())
    const fromCode = Object.fromEntries(
      Object.values(Inputs).map(input => {
        const value = (Defaults as Record<string, unknown>)[key(input)]
        return [
          input,
          value === undefined ? undefined : typeof value === 'string' ? value : JSON.stringify(value)
        ]
      })
    )
    const fromYml = Object.fromEntries(
      Object.entries(yml.inputs).map(([input, spec]) => [input, spec.default])
    )
    expect(fromYml).toEqual(fromCode)
    // every default the code has belongs to an input
    expect(Object.keys(Defaults).filter(k => !Object.values(Inputs).some(i => key(i) === k))).toEqual([])
  })

  it('runs on node24 from dist/index.js, and the tests have a Node 24 to run it with', () => {
    expect(yml.runs).toMatchObject({ using: 'node24', main: 'dist/index.js' })
    expect(execFileSync(node24(), ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./)
  })

  it('is documented input by input and output by output in the README', () => {
    expect(tableNames('Inputs')).toEqual(Object.keys(yml.inputs))
    expect(tableNames('Outputs')).toEqual(Object.keys(yml.outputs))
  })
})

describe('README', () => {
  it.each(['create', 'delete'])('shows iam/%s-policy.json as it is', mode => {
    const file = readFileSync(join(ROOT, 'iam', `${mode}-policy.json`), 'utf8').trim()
    expect(readme).toContain('```json\n' + file + '\n```')
  })
})
