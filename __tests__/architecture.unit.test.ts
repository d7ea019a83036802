/**
 * The module picture holds: one model between the planner and AWS, and no import running back up
 * (entry → engine → GitHub → aws → planner core → configuration → model → report → base), a feature's files
 * each in the layer of their job.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { ROOT } from './support/run-action.js'

const SRC = join(ROOT, 'src')

/** Every module of src/, by name without extension ('plan', 'aws/call'). */
function modules(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory()
      ? modules(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [relative(SRC, join(dir, e.name)).replace(/\.ts$/, '')]
        : []
  )
}

/**
 * The specifiers a text imports: static (also type-only, and export … from), dynamic and require, in any
 * quotes.
 */
function specifiersIn(text: string): string[] {
  return [
    ...text.matchAll(/(?:\bfrom|\bimport|\brequire)\s*\(?\s*(?:\/\*[^*]*\*\/\s*)?(['"`])([^'"`]+)\1/g)
  ].map(m => m[2])
}

/** What a module imports: other modules by name, packages as they are written. */
function importsOf(name: string): string[] {
  const specs = specifiersIn(readFileSync(join(SRC, `${name}.ts`), 'utf8'))
  return specs.map(s =>
    s.startsWith('.') ? relative(SRC, join(SRC, name, '..', s)).replace(/\.js$/, '') : s
  )
}

/**
 * The layers, lowest first; a module may import from its own layer and those below. A folder is a layer,
 * but for a feature's folder (features/<name>/), whose files each sit in the layer of their job: its
 * inputs* in config, its plan* in the planner core, its aws* in the AWS layer, the rest (its step
 * handlers, the feature itself) in the engine. GitHub's API (the previews' github* files) is a layer of its
 * own beside the AWS one: the engine calls it, it calls neither AWS nor the engine.
 */
const LAYERS = ['base', 'report', 'model', 'config', 'core', 'aws', 'github', 'engine', 'entry'] as const
type Layer = (typeof LAYERS)[number]

function folderLayer(name: string): Layer | undefined {
  const [folder, ...rest] = name.split('/')
  if (folder !== 'features')
    return (LAYERS as readonly string[]).includes(folder) && rest.length === 1 ? (folder as Layer) : undefined
  if (rest.length !== 2) return undefined
  const file = rest[1]
  if (file.startsWith('inputs')) return 'config'
  if (file.startsWith('plan')) return 'core'
  if (file.startsWith('aws')) return 'aws'
  if (file.startsWith('github')) return 'github'
  return 'engine'
}
const layerOf = (name: string): number => {
  const l = folderLayer(name)
  return l ? LAYERS.indexOf(l) : -1
}
const isAws = (name: string): boolean => folderLayer(name) === 'aws'
const isGitHub = (name: string): boolean => folderLayer(name) === 'github'
/** GitHub's API client: octokit, and @actions/github's way to it (its context alone is no API call). */
const reachesGitHub = (name: string): boolean =>
  importsOf(name).some(i => i.startsWith('@octokit/')) ||
  /\bgetOctokit\b|\bGitHub\.plugin\b/.test(readFileSync(join(SRC, `${name}.ts`), 'utf8'))
const isPlanner = (name: string): boolean => ['model', 'config', 'core'].includes(folderLayer(name) ?? '')
const all = modules()

describe('the module picture', () => {
  it('places every module of src/ in a layer', () => {
    expect(all.filter(m => layerOf(m) < 0)).toEqual([])
  })

  it.each(all)(
    '%s imports nothing from a layer above its own, nor anything outside src/ but packages',
    name => {
      const local = importsOf(name).filter(i => !i.startsWith('@') && !i.startsWith('node:'))
      // a local import that is no module of src/ (a folder, a file outside src/) has no layer: refused
      expect(local.filter(i => !all.includes(i))).toEqual([])
      expect(local.filter(i => layerOf(i) > layerOf(name))).toEqual([])
    }
  )

  it('keeps the AWS SDK inside the AWS layer (src/aws/, and the aws* files of a feature)', () => {
    const outside = all.filter(m => !isAws(m)).filter(m => importsOf(m).some(i => i.startsWith('@aws-sdk/')))
    expect(outside).toEqual([])
  })

  it('keeps the model, the configuration and the planners free of AWS code', () => {
    const bad = all.filter(isPlanner).flatMap(m =>
      importsOf(m)
        .filter(isAws)
        .map(i => `${m} → ${i}`)
    )
    expect(bad).toEqual([])
  })

  it("keeps GitHub's API client inside the GitHub layer (a feature's github* files)", () => {
    expect(all.filter(m => !isGitHub(m)).filter(reachesGitHub)).toEqual([])
    expect(all.filter(isGitHub).filter(reachesGitHub).length).toBeGreaterThan(0)
  })

  it('keeps the planners free of GitHub, and the GitHub layer free of AWS', () => {
    const planners = all.filter(isPlanner).flatMap(m =>
      importsOf(m)
        .filter(i => isGitHub(i) || i.startsWith('@actions/github') || i.startsWith('@octokit/'))
        .map(i => `${m} → ${i}`)
    )
    expect(planners).toEqual([])
    const github = all.filter(isGitHub).flatMap(m =>
      importsOf(m)
        .filter(i => isAws(i) || i.startsWith('@aws-sdk/'))
        .map(i => `${m} → ${i}`)
    )
    expect(github).toEqual([])
  })

  it('lets the AWS layer use only the model, the configuration and the base below the planner', () => {
    const bad = all.filter(isAws).flatMap(m =>
      importsOf(m)
        .filter(i => !i.startsWith('@') && !i.startsWith('node:') && !isAws(i) && folderLayer(i) === 'core')
        .map(i => `${m} → ${i}`)
    )
    expect(bad).toEqual([])
  })

  it('places the layers as named, and a feature file by its job', () => {
    expect(folderLayer('features/domain/aws-dns')).toBe('aws')
    expect(folderLayer('features/settings/plan')).toBe('core')
    expect(folderLayer('features/settings/inputs')).toBe('config')
    expect(folderLayer('features/keys/steps')).toBe('engine')
    expect(folderLayer('features/previews/github')).toBe('github')
    expect(folderLayer('features/previews/previews')).toBe('engine')
    expect(folderLayer('plan')).toBeUndefined()
    expect(folderLayer('core/deep/plan')).toBeUndefined()
  })
})

it('reads imports as they are written (static, type-only and dynamic)', () => {
  expect(importsOf('core/plan-create')).toEqual(
    expect.arrayContaining(['base/constants', 'model/model', 'model/ownership'])
  )
  expect(importsOf('entry/index')).toEqual(
    expect.arrayContaining(['entry/cli', 'entry/main', '@actions/core'])
  )
  expect(importsOf('aws/clients')).toEqual(expect.arrayContaining(['@aws-sdk/client-apigatewayv2']))
  // and what a rule breaker might write instead
  const probe = specifiersIn
  expect(probe(`import type { X } from "./aws/context.js"`)).toEqual(['./aws/context.js'])
  expect(probe(`const x = require('@aws-sdk/client-api-gateway')`)).toEqual(['@aws-sdk/client-api-gateway'])
  expect(probe(`export { y } from './aws/call.js'`)).toEqual(['./aws/call.js'])
})

it('keeps every line of code within 120 characters (Prettier leaves comments and strings alone)', () => {
  const roots = ['src', '__tests__', 'scripts', 'bin']
  const files = roots.flatMap(root =>
    readdirSync(join(ROOT, root), { recursive: true, encoding: 'utf8' })
      .filter(f => /\.(ts|mts|js|mjs|cjs)$/.test(f))
      .map(f => join(root, f))
  )
  expect(files.length).toBeGreaterThan(40)
  const long = files.flatMap(file =>
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .flatMap((line, i) => ([...line].length > 120 ? [`${file}:${i + 1} (${[...line].length})`] : []))
  )
  expect(long).toEqual([])
})

/** Every function of a source text with its length in lines, first line to last. */
function functionLengths(file: string, text: string): { name: string; lines: number }[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true)
  const found: { name: string; lines: number }[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line
      const last = source.getLineAndCharacterOfPosition(node.end).line
      const name = node.name && ts.isIdentifier(node.name) ? node.name.text : '(anonymous)'
      found.push({ name: `${file}:${first + 1} ${name}`, lines: last - first + 1 })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

describe('the size of things', () => {
  const sources = all.map(m => ({ file: `src/${m}.ts`, text: readFileSync(join(SRC, `${m}.ts`), 'utf8') }))

  it('has no source file over 400 lines', () => {
    const lines = (text: string): number => text.split('\n').length - (text.endsWith('\n') ? 1 : 0)
    expect(sources.filter(s => lines(s.text) > 400).map(s => `${s.file} (${lines(s.text)})`)).toEqual([])
  })

  it('has no function of 80 lines or more', () => {
    const long = sources.flatMap(s => functionLengths(s.file, s.text)).filter(f => f.lines >= 80)
    expect(long.map(f => `${f.name} (${f.lines})`)).toEqual([])
  })

  it('measures a function from its first line to its last', () => {
    const body = Array.from({ length: 78 }, (_, i) => `  const v${i} = ${i}`).join('\n')
    expect(functionLengths('f.ts', `function f() {\n${body}\n}\n`)).toEqual([{ name: 'f.ts:1 f', lines: 80 }])
    expect(functionLengths('g.ts', 'const g = (a: number) => a + 1\n')).toEqual([
      { name: 'g.ts:1 (anonymous)', lines: 1 }
    ])
  })
})
