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
  return [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map((m) => m[1])
}

describe('action.yml', () => {
  it('declares exactly the inputs the code reads', () => {
    expect(Object.keys(yml.inputs).sort()).toEqual(Object.values(Inputs).sort())
  })

  it('declares exactly the outputs the code sets', () => {
    expect(Object.keys(yml.outputs).sort()).toEqual(Object.values(Outputs).sort())
  })

  it('has the defaults the code assumes', () => {
    expect(yml.inputs.mode.default).toBe(Defaults.mode)
    expect(yml.inputs.scheme.default).toBe(Defaults.scheme)
    expect(yml.inputs.stage.default).toBe(Defaults.stage)
    expect(yml.inputs['api-name'].default).toBe(Defaults.apiName)
    expect(yml.inputs['endpoint-type'].default).toBe(Defaults.endpointType)
    expect(yml.inputs.authorization.default).toBe(Defaults.authorization)
    expect(yml.inputs.cors.default).toBe(String(Defaults.cors))
    expect(yml.inputs.timeout.default).toBe(String(Defaults.timeoutSeconds))
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
  it.each(['create', 'delete'])('shows iam/%s-policy.json as it is', (mode) => {
    const file = readFileSync(join(ROOT, 'iam', `${mode}-policy.json`), 'utf8').trim()
    expect(readme).toContain('```json\n' + file + '\n```')
  })
})
