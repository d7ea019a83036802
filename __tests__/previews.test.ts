/**
 * The previews with the real AWS work: the action's main and post steps in-process, the engine against
 * moto (through the test proxy), GitHub's REST API stood in for on loopback (support/github.ts). GitHub
 * saying no leaves the gateway made, and deleted, all the same.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { GetRestApisCommand } from '@aws-sdk/client-api-gateway'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLoadBalancer, REGION, testClients, type SeededLoadBalancer } from './support/aws.js'
import { ACTIONS_BOT, GitHubStandIn } from './support/github.js'
import { fakeCore } from './support/fake-core.js'
import { motoBehindProxy } from './support/harness.js'

const { core, inputs, state, outputs } = fakeCore()
jest.unstable_mockModule('@actions/core', () => core)
const { run, runPost } = await import('../src/entry/main.js')

const aws = motoBehindProxy({ env: true })
const github = new GitHubStandIn('acme', 'shop')
const TOKEN = `ghs_${'Wr1te'.repeat(7)}x`
const READ_ONLY = `ghs_${'R3ad0'.repeat(7)}x`
const PR = 12
const dir = mkdtempSync(join(tmpdir(), 'previews-moto-'))
let lb: SeededLoadBalancer

beforeAll(async () => {
  await github.start()
  github.grant(TOKEN, {
    account: ACTIONS_BOT,
    installation: true,
    pullRequests: 'write',
    deployments: 'write'
  })
  github.grant(READ_ONLY, {
    account: ACTIONS_BOT,
    installation: true,
    pullRequests: 'read',
    deployments: 'read'
  })
  const event = join(dir, 'event.json')
  writeFileSync(event, JSON.stringify({ pull_request: { number: PR, head: { sha: 'c'.repeat(40) } } }))
  // the harness puts the process's environment back after the file
  Object.assign(process.env, {
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_EVENT_PATH: event,
    GITHUB_SHA: 'd'.repeat(40)
  })
})

afterAll(async () => {
  await github.stop()
  rmSync(dir, { recursive: true, force: true })
})

beforeEach(async () => {
  for (const o of [inputs, state, outputs]) for (const k of Object.keys(o)) delete o[k]
  jest.clearAllMocks()
  github.comments.length = 0
  github.deployments.length = 0
  await aws.moto.reset()
  lb = await createLoadBalancer(aws.moto.endpoint, { name: 'cortex', scheme: 'internet-facing' })
})

async function step(which: 'main' | 'post', more: Record<string, string>): Promise<string[]> {
  for (const k of Object.keys(inputs)) delete inputs[k]
  Object.assign(inputs, {
    'load-balancer': lb.dnsName,
    region: REGION,
    'api-name': 'pr-12',
    stage: 'preview',
    'pull-request-comment': 'true',
    'deployment-environment': 'pr-12-preview',
    ...more
  })
  const from = github.requests.length
  await (which === 'main' ? run() : runPost())
  return github.since(from)
}

async function apis(): Promise<string[]> {
  const { items = [] } = await testClients(aws.proxy.endpoint).apigw.send(new GetRestApisCommand({}))
  return items.map(a => a.name ?? '')
}

const rendered = (body: string): string =>
  body.replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))

describe('previews with the AWS work', () => {
  it("puts the gateway's own invoke URL on the pull request, and says it was deleted by the post step", async () => {
    await step('main', { 'github-token': TOKEN, 'delete-on-exit': 'true' })
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(outputs.result).toBe('created')
    expect(outputs['invoke-url']).toMatch(/^https:\/\/\w+\.execute-api\.us-west-2\.amazonaws\.com\/preview$/)
    const [comment] = github.commentsOn(PR)
    expect(rendered(comment.body)).toContain(`| Invoke URL | <a href="${outputs['invoke-url']}">`)
    const [deployment] = github.deployments
    expect(outputs['deployment-id']).toBe(String(deployment.id))
    expect(deployment.statuses.map(s => [s.state, s.environment_url])).toEqual([
      ['in_progress', ''],
      ['success', outputs['invoke-url']]
    ])
    const calls = await step('post', { 'github-token': TOKEN })
    expect(await apis()).toEqual([])
    expect(calls).toEqual([
      `PATCH /repos/acme/shop/issues/comments/${comment.id}`,
      `POST /repos/acme/shop/deployments/${deployment.id}/statuses`
    ])
    expect(rendered(comment.body)).toContain(': deleted')
    expect(deployment.statuses.at(-1)?.state).toBe('inactive')
    expect(core.warning).not.toHaveBeenCalled()
  })

  it("makes and deletes the gateway all the same with a fork's read-only token, and one warning", async () => {
    await step('main', { 'github-token': READ_ONLY })
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(outputs.result).toBe('created')
    expect(await apis()).toEqual(['pr-12'])
    await step('main', { 'github-token': READ_ONLY, mode: 'delete', 'load-balancer': '' })
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(outputs.result).toBe('deleted')
    expect(await apis()).toEqual([])
    // the create's; the delete found no comment nor deployment of its own to mark, with reads a read-only token may
    expect(core.warning.mock.calls.map(c => String(c[0]))).toEqual([
      expect.stringContaining("grant the job 'deployments: write' and 'pull-requests: write'")
    ])
    expect(github.comments).toEqual([])
  })

  it('makes the gateway all the same with GitHub down', async () => {
    await github.stop()
    try {
      await step('main', { 'github-token': TOKEN })
    } finally {
      await github.start()
    }
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(outputs.result).toBe('created')
    expect(await apis()).toEqual(['pr-12'])
    expect(core.warning).toHaveBeenCalledTimes(1)
  })
})
