/**
 * The previews' pure part: the comment's words for each outcome, which comment and which deployment are ours,
 * and whose a token is. Comments and deployments written out as GitHub lists them.
 */
import { describe, expect, it } from '@jest/globals'
import {
  canaryPercent,
  commentBody,
  commentMarker,
  environmentUrl,
  isOurComment,
  isOurDeployment,
  knownLogin
} from '../src/features/previews/plan.js'
import type { RunResult } from '../src/report/run.js'

const result = (
  outcome: RunResult['outcome'],
  steps: number,
  outputs: RunResult['outputs'] = {}
): RunResult => ({
  mode: 'create',
  dryRun: false,
  region: 'us-west-2',
  outcome,
  outputs,
  steps: Array.from({ length: steps }, (_, i) => `step ${i}`),
  calls: []
})
const lastRun = (r: RunResult): string =>
  commentBody({ apiName: 'web', stage: 'dev', result: r }).split('\n').at(-1)!

describe('the comment', () => {
  it.each<[RunResult['outcome'], number, string]>([
    ['created', 1, '| Last run | created it&#32;(1 step) |'],
    ['updated', 3, '| Last run | updated it&#32;(3 steps) |'],
    ['unchanged', 0, '| Last run | found nothing to change |'],
    ['deleted', 2, '| Last run | deleted it&#32;(2 steps) |'],
    ['absent', 0, '| Last run | found nothing to delete |'],
    ['would-create', 5, '| Last run | would create it (dry run)&#32;(5 steps) |'],
    ['would-update', 1, '| Last run | would update it (dry run)&#32;(1 step) |'],
    ['would-delete', 2, '| Last run | would delete it (dry run)&#32;(2 steps) |']
    // (the space before a value is written as a reference: no value starts a markdown line's text)
  ])('says what a run that %s did, in %d steps', (outcome, n, line) => {
    expect(lastRun(result(outcome, n))).toBe(line)
  })

  it('has no URL rows without the outputs, and no canary row for an empty share', () => {
    expect(
      commentBody({
        apiName: 'web',
        stage: 'dev',
        result: result('created', 1, { 'canary-percent': '' })
      })
    ).toBe(
      [
        '<!-- cortex-rest-gateway:preview api-name=web stage=dev -->',
        '### REST gateway <code>web</code>, stage <code>dev</code>',
        '',
        '| | |',
        '|---|---|',
        '| Last run | created it&#32;(1 step) |'
      ].join('\n')
    )
  })

  it('says who deleted the gateway; a view without a result is a deleted gateway', () => {
    const head = '### REST gateway <code>web</code>, stage <code>dev</code>: deleted'
    const marker = '<!-- cortex-rest-gateway:preview api-name=web stage=dev -->'
    expect(commentBody({ apiName: 'web', stage: 'dev', deletedBy: 'delete' })).toBe(
      [marker, head, '', 'Deleted by a delete run: its URLs answer no more.'].join('\n')
    )
    expect(
      commentBody({ apiName: 'web', stage: 'dev', deletedBy: 'delete-on-exit', result: result('created', 1) })
    ).toBe([marker, head, '', 'Deleted by the delete-on-exit post step: its URLs answer no more.'].join('\n'))
    expect(commentBody({ apiName: 'web', stage: 'dev' })).toContain('Deleted by a delete run')
  })

  it('reads the canary share from its output alone', () => {
    expect(canaryPercent(result('created', 1, { 'canary-percent': '12.5' }))).toBe('12.5')
    expect(canaryPercent(result('created', 1))).toBeUndefined()
    expect(canaryPercent(result('created', 1, { 'canary-percent': '' }))).toBeUndefined()
  })
})

describe('which comment is ours', () => {
  const marker = commentMarker('web app', 'dev')
  it('is marked with the gateway, its name percent-encoded', () => {
    expect(marker).toBe('<!-- cortex-rest-gateway:preview api-name=web%20app stage=dev -->')
  })

  it("begins with the marker, alone or on its own first line, and is written by the token's account", () => {
    const bot = { login: 'github-actions[bot]' }
    expect(isOurComment({ id: 1, body: marker, user: bot }, marker, 'github-actions[bot]')).toBe(true)
    expect(isOurComment({ id: 1, body: `${marker}\nrest`, user: bot }, marker, 'GitHub-Actions[bot]')).toBe(
      true
    )
    expect(isOurComment({ id: 1, body: `${marker} rest`, user: bot }, marker, 'github-actions[bot]')).toBe(
      false
    )
    expect(isOurComment({ id: 1, body: `> ${marker}`, user: bot }, marker, 'github-actions[bot]')).toBe(false)
    expect(
      isOurComment({ id: 1, body: marker, user: { login: 'octocat' } }, marker, 'github-actions[bot]')
    ).toBe(false)
    expect(isOurComment({ id: 1, body: null, user: null }, marker, '')).toBe(false)
    expect(isOurComment({ id: 1, body: marker, user: null }, marker, '')).toBe(true)
  })
})

describe('whose a token is', () => {
  it.each(['ghp_x', 'github_pat_x', 'gho_x', 'ghu_x'])("%s is a person's: GitHub is asked", token => {
    expect(knownLogin(token)).toBeUndefined()
  })
  it.each(['ghs_x', 'x_ghp_y', 'v1.abc'])('%s writes as the Actions bot', token => {
    expect(knownLogin(token)).toBe('github-actions[bot]')
  })
})

describe('deployments', () => {
  it('point at the custom domain, else the invoke URL, else nowhere', () => {
    const both = { 'domain-url': 'https://d.example.com/', 'invoke-url': 'https://i.example.com/dev' }
    expect(environmentUrl(result('created', 1, both))).toBe('https://d.example.com/')
    expect(environmentUrl(result('created', 1, { 'invoke-url': both['invoke-url'] }))).toBe(
      both['invoke-url']
    )
    expect(environmentUrl(result('created', 1, { 'domain-url': '', 'invoke-url': '' }))).toBeUndefined()
  })

  it('are ours when their payload names the gateway', () => {
    const payload = { 'cortex-rest-gateway': { apiName: 'web', stage: 'dev' } }
    expect(isOurDeployment({ id: 1, payload }, 'web', 'dev')).toBe(true)
    expect(isOurDeployment({ id: 1, payload }, 'web', 'prod')).toBe(false)
    expect(isOurDeployment({ id: 1, payload }, 'api', 'dev')).toBe(false)
    expect(isOurDeployment({ id: 1, payload: null }, 'web', 'dev')).toBe(false)
    expect(isOurDeployment({ id: 1, payload: 'web' }, 'web', 'dev')).toBe(false)
    expect(isOurDeployment({ id: 1, payload: {} }, 'web', 'dev')).toBe(false)
    // a deployment listed without a payload is no one's the action knows: not ours, and no error
    expect(isOurDeployment({ id: 1 }, 'web', 'dev')).toBe(false)
  })
})
