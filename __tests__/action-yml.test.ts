/** action.yml, the constants the code uses and the README tables must agree. */
import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Defaults, Inputs, Outputs } from '../src/base/constants.js'
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
