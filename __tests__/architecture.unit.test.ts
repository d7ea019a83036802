/**
 * The module picture holds: one model between the planner and AWS, and no import running back
 * up (front ends → engine → create/delete → apply/discover → aws → planner → model → base).
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
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

/** Lowest first; a module may import from its own layer and those below. */
const LAYERS: string[][] = [
  ['constants', 'errors', 'safe-text', 'concurrency'],
  ['log', 'ownership'],
  ['settings-inputs', 'inputs'],
  ['model'],
  ['desired'],
  ['plan-part', 'plan-domain', 'plan-settings', 'plan-keys', 'plan'],
  ['aws/*'],
  ['apply', 'delete-line', 'discover', 'ready', 'result'],
  ['create', 'delete'],
  ['engine', 'summary'],
  ['main', 'cli'],
  ['index', 'post']
]
const layerOf = (name: string): number =>
  LAYERS.findIndex(l => l.includes(name) || (name.startsWith('aws/') && l.includes('aws/*')))
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

  it('keeps the AWS SDK inside src/aws/', () => {
    const outside = all
      .filter(m => !m.startsWith('aws/'))
      .filter(m => importsOf(m).some(i => i.startsWith('@aws-sdk/')))
    expect(outside).toEqual([])
  })

  it('keeps the model, the wanted gateway and the planner free of src/aws/', () => {
    for (const m of ['model', 'desired', 'plan-part', 'plan-domain', 'plan-settings', 'plan-keys', 'plan'])
      expect(importsOf(m).filter(i => i.startsWith('aws/'))).toEqual([])
  })

  it('lets src/aws/ use only the model and the base below the planner', () => {
    const allowed = new Set(['constants', 'errors', 'log', 'model', 'inputs', 'concurrency'])
    const bad = all
      .filter(m => m.startsWith('aws/'))
      .flatMap(m =>
        importsOf(m)
          .filter(
            i => !i.startsWith('@') && !i.startsWith('node:') && !i.startsWith('aws/') && !allowed.has(i)
          )
          .map(i => `${m} → ${i}`)
      )
    expect(bad).toEqual([])
  })
})

it('reads imports as they are written (static, type-only and dynamic)', () => {
  expect(importsOf('plan')).toEqual(expect.arrayContaining(['constants', 'model', 'ownership']))
  expect(importsOf('index')).toEqual(expect.arrayContaining(['cli', 'main', '@actions/core']))
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
