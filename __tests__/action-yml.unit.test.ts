/** action.yml, the constants the code uses and the README tables must agree. */
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Defaults, Inputs, Outputs } from '../src/base/constants.js'
import { INPUTS, type InputRow } from '../src/config/input-table.js'
import { actionYml, node24, ROOT } from './support/run-action.js'

const yml = actionYml()
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')

function tableNames(heading: string): string[] {
  const section = readme.split(`## ${heading}\n`)[1].split('\n## ')[0]
  return [...section.matchAll(/^\| `([a-z-]+)` \|/gm)].map(m => m[1])
}

/** A README table's rows: the name, and the second cell (the default, in the inputs table). */
function tableRows(heading: string): [string, string][] {
  const section = readme.split(`## ${heading}\n`)[1].split('\n## ')[0]
  return [...section.matchAll(/^\| `([a-z-]+)` \| ([^|]*)\|/gm)].map(m => [m[1], m[2].trim()])
}

/** A default as action.yml writes it: text, or a number or boolean as its text. */
const ymlDefault = (row: InputRow): string | undefined =>
  row.default === undefined ? undefined : String(row.default)

describe('action.yml', () => {
  it('declares exactly the inputs of the inputs table', () => {
    expect(Object.keys(yml.inputs).sort()).toEqual(INPUTS.map(r => r.name).sort())
  })

  it('names each input once in the inputs table', () => {
    expect(new Set(INPUTS.map(r => r.name)).size).toBe(INPUTS.length)
  })

  it('declares exactly the outputs the code sets', () => {
    expect(Object.keys(yml.outputs).sort()).toEqual(Object.values(Outputs).sort())
  })

  it('has the defaults of the inputs table, for every input (and none where the table has none)', () => {
    const fromTable = Object.fromEntries(INPUTS.map(r => [r.name, ymlDefault(r)]))
    const fromYml = Object.fromEntries(
      Object.entries(yml.inputs).map(([input, spec]) => [input, spec.default])
    )
    expect(fromYml).toEqual(fromTable)
  })

  it('requires no input, as the table reads none as required, and describes each', () => {
    for (const [name, spec] of Object.entries(yml.inputs)) {
      expect([name, spec.required]).toEqual([name, false])
      expect([name, (spec.description ?? '').trim().length > 0]).toEqual([name, true])
    }
  })

  it('holds the types of the inputs table: a boolean defaults to true or false, a number to digits', () => {
    for (const row of INPUTS.filter(r => r.default !== undefined)) {
      const want = row.type === 'boolean' ? /^(true|false)$/ : row.type === 'number' ? /^\d+$/ : /./
      expect([row.name, ymlDefault(row)]).toEqual([row.name, expect.stringMatching(want)])
    }
  })
})

describe('the inputs table', () => {
  it('holds every name the code refers to (Inputs), and every default it refers to (Defaults)', () => {
    const names = INPUTS.map(r => r.name)
    expect(Object.values(Inputs).filter(n => !names.includes(n))).toEqual([])
    // Defaults is keyed by the input's name in camelCase ('timeout' is kept in seconds)
    const key = (input: string): string =>
      input === 'timeout' ? 'timeoutSeconds' : input.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())
    for (const [k, value] of Object.entries(Defaults)) {
      const row = INPUTS.find(r => key(r.name) === k)
      expect([k, row?.default]).toEqual([k, value])
    }
  })
})

describe('action.yml, continued', () => {
  it('runs on node24 from dist/index.js, and the tests have a Node 24 to run it with', () => {
    expect(yml.runs).toMatchObject({ using: 'node24', main: 'dist/index.js' })
    expect(execFileSync(node24(), ['--version'], { encoding: 'utf8' })).toMatch(/^v24\./)
  })

  it('is documented input by input and output by output in the README', () => {
    expect(tableNames('Inputs')).toEqual(Object.keys(yml.inputs))
    expect(tableNames('Outputs')).toEqual(Object.keys(yml.outputs))
  })

  it('states in the README the default of every input the table gives one', () => {
    const stated = Object.fromEntries(tableRows('Inputs'))
    const want = Object.fromEntries(
      INPUTS.filter(r => r.default !== undefined).map(r => [r.name, `\`${ymlDefault(r)}\``])
    )
    expect(Object.fromEntries(Object.keys(want).map(name => [name, stated[name]]))).toEqual(want)
    // an input without a default in the table states none, or one worked out (`<api-name>-vpc-link`, words)
    const plain = INPUTS.filter(r => r.default === undefined).filter(r =>
      /^`[^`<]*`$/.test(stated[r.name] ?? '')
    )
    expect(plain.map(r => r.name)).toEqual([])
  })
})

describe('README', () => {
  it.each(readdirSync(join(ROOT, 'iam')).filter(f => f.endsWith('.json')))('links iam/%s', file => {
    expect(readme).toContain(`](iam/${file})`)
  })

  it('pastes no IAM policy: the policies live in iam/ alone', () => {
    expect(readme).not.toContain('"Statement"')
  })

  it('is for users: at most 500 lines', () => {
    expect(readme.split('\n').length - 1).toBeLessThanOrEqual(500)
  })

  it('names the test command, npm test', () => {
    expect(readme).toContain('npm ci && npm test')
  })
})

describe('CONTRIBUTING.md', () => {
  const contributing = readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8')

  it.each([
    'npm ci',
    'npm test',
    'npm run test:unit',
    'npm run local-aws',
    'npm run bench',
    'npm run local-action'
  ])('names %s', command => {
    expect(contributing).toContain(`\`${command}`)
  })
})

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchor = (heading: string): string =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-')

const docs = ['README.md', 'CONTRIBUTING.md', ...readdirSync(join(ROOT, 'docs')).map(f => `docs/${f}`)]

describe.each(docs)('%s', doc => {
  const text = readFileSync(join(ROOT, doc), 'utf8')

  it('links only to files and headings that exist', () => {
    const broken: string[] = []
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue
      const [path, hash] = target.split('#')
      const file = path ? join(ROOT, dirname(doc), path) : join(ROOT, doc)
      if (!existsSync(file)) {
        broken.push(target)
        continue
      }
      if (hash === undefined) continue
      const headings = [...readFileSync(file, 'utf8').matchAll(/^#+ (.+)$/gm)].map(m => anchor(m[1]))
      if (!headings.includes(hash)) broken.push(target)
    }
    expect(broken).toEqual([])
  })
})

describe('.github/CODEOWNERS', () => {
  const owners = readFileSync(join(ROOT, '.github', 'CODEOWNERS'), 'utf8')
  const paths = [...owners.matchAll(/^(\/\S+)\s/gm)].map(m => m[1])

  it('names only paths that exist (a branch rule asks for the owners of what is named)', () => {
    expect(paths.length).toBeGreaterThan(0)
    expect(paths.filter(p => !existsSync(join(ROOT, p)))).toEqual([])
  })

  it('names the ownership rules and the safe sinks on their own', () => {
    expect(paths).toEqual(expect.arrayContaining(['/src/model/ownership.ts', '/src/report/safe-text.ts']))
  })
})
