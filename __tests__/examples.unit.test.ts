/**
 * The example workflows are valid workflows (action-validator) and use only what action.yml declares;
 * the repository's own workflows are valid too, pin what they run and ask for the least.
 */
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { actionYml, ROOT } from './support/run-action.js'

const dir = join(ROOT, 'examples')
const examples = readdirSync(dir).filter(f => f.endsWith('.yml'))
const workflows = readdirSync(join(ROOT, '.github', 'workflows')).map(f => join('.github', 'workflows', f))
const yml = actionYml()

interface Workflow {
  permissions?: unknown
  jobs: Record<
    string,
    { permissions?: unknown; steps: { id?: string; uses?: string; with?: Record<string, unknown> }[] }
  >
}

describe.each([...examples.map(f => join('examples', f)), ...workflows])('%s', file => {
  it('passes action-validator', () => {
    const res = spawnSync(join(ROOT, 'node_modules', '.bin', 'action-validator'), [join(ROOT, file)], {
      encoding: 'utf8'
    })
    expect(res.stdout + res.stderr).toBe('')
    expect(res.status).toBe(0)
  })
})

describe.each(workflows)('%s', file => {
  const text = readFileSync(join(ROOT, file), 'utf8')
  const wf = parse(text) as Workflow

  it('pins every action it uses by commit, with the version in a comment', () => {
    const uses = [...text.matchAll(/^\s*(?:- )?uses: (.+)$/gm)].map(m => m[1])
    expect(uses.length).toBeGreaterThan(0)
    const unpinned = uses.filter(
      u => u !== './' && !/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/.test(u)
    )
    expect(unpinned).toEqual([])
  })

  it('reads the repository and nothing more, unless a job says what else it needs', () => {
    expect(wf.permissions).toEqual({ contents: 'read' })
  })

  it('keeps no token in the checkout of a job that does not push', () => {
    for (const job of Object.values(wf.jobs)) {
      const writes = JSON.stringify(job.permissions ?? {}).includes('"contents":"write"')
      for (const step of job.steps.filter(s => s.uses?.startsWith('actions/checkout@')))
        if (!writes) expect(step.with).toMatchObject({ 'persist-credentials': false })
    }
  })
})

describe.each(examples)('examples/%s', file => {
  const text = readFileSync(join(dir, file), 'utf8')
  const wf = parse(text) as Workflow
  const ours = Object.values(wf.jobs).flatMap(j =>
    j.steps.filter(s => s.uses === 'org/cortex-rest-gateway@v1')
  )

  it('uses the action with declared inputs only', () => {
    expect(ours.length).toBeGreaterThan(0)
    for (const step of ours)
      for (const input of Object.keys(step.with ?? {})) expect(Object.keys(yml.inputs)).toContain(input)
  })

  it('reads declared outputs only, and reads some where it names the step', () => {
    const ids = new Set(ours.map(s => s.id).filter(Boolean))
    const reads = [...text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)]
      .filter(([, id]) => ids.has(id))
      .map(([, , output]) => output)
    expect(reads.filter(o => !(o in yml.outputs))).toEqual([])
    // a step given an id is there to be read
    expect(reads.length > 0 || ids.size === 0).toBe(true)
  })
})

it('the README links every example', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  for (const f of examples) expect(readme).toContain(`(examples/${f})`)
})
