/**
 * The previews (pull-request-comment, deployment-environment) through the action's main and post steps,
 * against a stand-in for GitHub's REST API on loopback (support/github.ts), GITHUB_API_URL pointed at it.
 * The AWS work is the engine's, stood in for here: what is checked is what reaches GitHub, and that GitHub
 * saying no never fails the run.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ACTIONS_BOT, GitHubStandIn, PERSON, type TokenGrant } from './support/github.js'
import { fakeCore } from './support/fake-core.js'

const { core, inputs, state } = fakeCore()
const runEngine = jest.fn<(...args: unknown[]) => Promise<unknown>>()
jest.unstable_mockModule('@actions/core', () => core)
jest.unstable_mockModule('../src/engine/engine.js', () => ({ runEngine }))
const { run, runPost } = await import('../src/entry/main.js')

const github = new GitHubStandIn('acme', 'shop')
/** The workflow's own token: an installation token, writing as github-actions[bot]. */
const TOKEN = `ghs_${'A1b2C3d4'.repeat(4)}wxyz`
const WORKFLOW_TOKEN: TokenGrant = {
  account: ACTIONS_BOT,
  installation: true,
  pullRequests: 'write',
  deployments: 'write'
}
const PR = 7
const HEAD_SHA = 'a'.repeat(40)
const COMMENTS = `/repos/acme/shop/issues/${PR}/comments`
const dir = mkdtempSync(join(tmpdir(), 'previews-'))
const saved = { ...process.env }

beforeAll(async () => {
  await github.start()
  github.grant(TOKEN, WORKFLOW_TOKEN)
  const event = join(dir, 'event.json')
  writeFileSync(event, JSON.stringify({ pull_request: { number: PR, head: { sha: HEAD_SHA } } }))
  Object.assign(process.env, {
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_EVENT_PATH: event,
    GITHUB_SHA: 'b'.repeat(40),
    GITHUB_SERVER_URL: 'http://127.0.0.1:9',
    GITHUB_RUN_ID: '42'
  })
})

afterAll(async () => {
  await github.stop()
  process.env = saved
  rmSync(dir, { recursive: true, force: true })
})

beforeEach(() => {
  for (const k of Object.keys(inputs)) delete inputs[k]
  for (const k of Object.keys(state)) delete state[k]
  jest.clearAllMocks()
  runEngine.mockReset()
  github.comments.length = 0
  github.deployments.length = 0
  github.failWith = undefined
})

const invoke = (api: string): string => `https://${api}.execute-api.us-west-2.amazonaws.com/preview`

/** What the engine answers a create of `api-name` (the AWS work, stood in for). */
function created(apiId: string, outcome: string, steps: number, more: Record<string, string> = {}): unknown {
  return {
    mode: 'create',
    dryRun: false,
    region: 'us-west-2',
    outcome,
    outputs: { 'invoke-url': invoke(apiId), 'api-id': apiId, stage: 'preview', ...more },
    steps: Array.from({ length: steps }, (_, i) => `step ${i + 1}`),
    calls: []
  }
}

const deleted = (apiId: string): unknown => ({
  mode: 'delete',
  dryRun: false,
  region: 'us-west-2',
  outcome: 'deleted',
  outputs: { 'api-id': apiId, stage: 'preview' },
  steps: [`delete REST API ${apiId}`],
  calls: []
})

/** One main step with these inputs (a create of pr-7 unless told), the engine answering `answer`. */
async function mainStep(answer: unknown, more: Record<string, string> = {}): Promise<string[]> {
  for (const k of Object.keys(inputs)) delete inputs[k]
  Object.assign(inputs, {
    'load-balancer': 'x-1.elb.us-west-2.amazonaws.com',
    region: 'us-west-2',
    'api-name': 'pr-7',
    stage: 'preview',
    'github-token': TOKEN,
    'pull-request-comment': 'true',
    ...more
  })
  const from = github.requests.length
  runEngine.mockImplementationOnce(options => {
    // the engine tells of what a create made, as it makes it (the post step deletes only that)
    const o = options as { onCreated?: (made: { kind: string; id: string }) => void }
    const made = answer as { outcome: string; outputs: Record<string, string> }
    if (made.outcome === 'created') o.onCreated?.({ kind: 'api', id: made.outputs['api-id'] })
    return Promise.resolve(answer)
  })
  await run()
  return github.since(from)
}

/** Markdown's character references read back as the characters a reader sees. */
const rendered = (body: string): string =>
  body.replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))

const warnings = (): string[] => core.warning.mock.calls.map(c => String(c[0]))

describe('the pull request comment', () => {
  it('is made on a create: the marker, the gateway, its URL, what the run did', async () => {
    const calls = await mainStep(created('a1', 'created', 21))
    // the workflow's token writes as github-actions[bot]: known without asking GitHub
    expect(calls).toEqual([`GET ${COMMENTS}`, `POST ${COMMENTS}`])
    const [comment] = github.commentsOn(PR)
    expect(comment.user.login).toBe('github-actions[bot]')
    expect(rendered(comment.body)).toBe(
      [
        '<!-- cortex-rest-gateway:preview api-name=pr-7 stage=preview -->',
        '### REST gateway <code>pr-7</code>, stage <code>preview</code>',
        '',
        '| | |',
        '|---|---|',
        `| Invoke URL | <a href="${invoke('a1')}">${invoke('a1')}</a> |`,
        '| Last run | created it (21 steps) |'
      ].join('\n')
    )
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(warnings()).toEqual([])
  })

  it('is edited in place on a re-run, and left alone when its text is the same', async () => {
    await mainStep(created('a1', 'created', 21))
    const id = github.commentsOn(PR)[0].id
    // what the run did changed (created → nothing to change): one read, one edit
    expect(await mainStep(created('a1', 'unchanged', 0))).toEqual([
      `GET ${COMMENTS}`,
      `PATCH /repos/acme/shop/issues/comments/${id}`
    ])
    expect(rendered(github.commentsOn(PR)[0].body)).toContain('| Last run | found nothing to change |')
    // the same again: one read, no write
    expect(await mainStep(created('a1', 'unchanged', 0))).toEqual([`GET ${COMMENTS}`])
    expect(github.commentsOn(PR).map(c => c.id)).toEqual([id])
  })

  it('shows the custom domain and the canary share when the run has them', async () => {
    await mainStep(
      created('a1', 'updated', 2, { 'domain-url': 'https://pr-7.example.com/', 'canary-percent': '12.5' })
    )
    const body = rendered(github.commentsOn(PR)[0].body)
    expect(body).toContain(
      '| Custom domain | <a href="https://pr-7.example.com/">https://pr-7.example.com/</a> |'
    )
    expect(body).toContain('| Canary | 12.5 % of requests |')
    expect(body).toContain('| Last run | updated it (2 steps) |')
  })

  it('is one per gateway: two gateways on one pull request keep two comments', async () => {
    await mainStep(created('a1', 'created', 21), { 'api-name': 'pr-7-web' })
    await mainStep(created('b2', 'created', 21), { 'api-name': 'pr-7-api' })
    const [web, api] = github.commentsOn(PR)
    expect([web.body, api.body].map(b => b.split('\n')[0])).toEqual([
      '<!-- cortex-rest-gateway:preview api-name=pr-7-web stage=preview -->',
      '<!-- cortex-rest-gateway:preview api-name=pr-7-api stage=preview -->'
    ])
    const before = web.body
    expect(await mainStep(created('b2', 'updated', 1), { 'api-name': 'pr-7-api' })).toEqual([
      `GET ${COMMENTS}`,
      `PATCH /repos/acme/shop/issues/comments/${api.id}`
    ])
    expect(web.body).toBe(before)
    expect(rendered(api.body)).toContain('updated it (1 step)')
  })

  it("never edits a person's comment, even one that holds or quotes ours", async () => {
    const marker = '<!-- cortex-rest-gateway:preview api-name=pr-7 stage=preview -->'
    const copy = github.addComment(PR, PERSON, `${marker}\n### my own notes`)
    const quote = github.addComment(PR, PERSON, `> ${marker}\n> ### REST gateway\n\nit answers 502`)
    // another workflow's bot comment that quotes ours is no comment of ours either
    const bot = github.addComment(PR, ACTIONS_BOT, `Seen on the preview:\n> ${marker}`)
    const calls = await mainStep(created('a1', 'created', 21))
    expect(calls).toEqual([`GET ${COMMENTS}`, `POST ${COMMENTS}`])
    expect(bot.body).toBe(`Seen on the preview:\n> ${marker}`)
    expect(copy.body).toBe(`${marker}\n### my own notes`)
    expect(quote.body).toBe(`> ${marker}\n> ### REST gateway\n\nit answers 502`)
    expect(github.commentsOn(PR).map(c => c.user.login)).toEqual([
      'octocat',
      'octocat',
      'github-actions[bot]',
      'github-actions[bot]'
    ])
  })

  it('finds its comment beyond the first page of comments', async () => {
    for (let i = 0; i < 150; i++) github.addComment(PR, i % 2 ? PERSON : ACTIONS_BOT, `comment ${i}`)
    await mainStep(created('a1', 'created', 21))
    const ours = github.commentsOn(PR)[150]
    expect(await mainStep(created('a1', 'updated', 3))).toEqual([
      `GET ${COMMENTS}`,
      `GET ${COMMENTS}`,
      `PATCH /repos/acme/shop/issues/comments/${ours.id}`
    ])
    expect(github.requests.slice(-3, -1).map(r => r.query)).toEqual(['?per_page=100', '?per_page=100&page=2'])
    expect(github.commentsOn(PR)).toHaveLength(151)
    expect(rendered(ours.body)).toContain('updated it (3 steps)')
  })

  it("with a person's token, asks GitHub once who that is, and keeps that person's comment", async () => {
    const pat = `ghp_${'Zz9'.repeat(12)}`
    github.grant(pat, { account: PERSON, installation: false, pullRequests: 'write', deployments: 'write' })
    // the Actions bot's comment with our marker is not this token's
    github.addComment(PR, ACTIONS_BOT, '<!-- cortex-rest-gateway:preview api-name=pr-7 stage=preview -->')
    expect(await mainStep(created('a1', 'created', 21), { 'github-token': pat })).toEqual([
      'GET /user',
      `GET ${COMMENTS}`,
      `POST ${COMMENTS}`
    ])
    expect(github.commentsOn(PR).map(c => c.user.login)).toEqual(['github-actions[bot]', 'octocat'])
    expect(core.setSecret).toHaveBeenCalledWith(pat)
  })

  it('says the gateway was deleted on a delete, and makes none where there was none', async () => {
    await mainStep(created('a1', 'created', 21))
    const [ours] = github.commentsOn(PR)
    const calls = await mainStep(deleted('a1'), { mode: 'delete', 'load-balancer': '' })
    expect(calls).toEqual([`GET ${COMMENTS}`, `PATCH /repos/acme/shop/issues/comments/${ours.id}`])
    expect(rendered(ours.body)).toBe(
      [
        '<!-- cortex-rest-gateway:preview api-name=pr-7 stage=preview -->',
        '### REST gateway <code>pr-7</code>, stage <code>preview</code>: deleted',
        '',
        'Deleted by a delete run: its URLs answer no more.'
      ].join('\n')
    )
    github.comments.length = 0
    expect(await mainStep(deleted('a1'), { mode: 'delete', 'load-balancer': '' })).toEqual([
      `GET ${COMMENTS}`
    ])
    expect(github.comments).toEqual([])
  })

  it('is edited by the delete-on-exit post step, with one call, once the gateway is gone', async () => {
    await mainStep(created('a1', 'created', 21), { 'delete-on-exit': 'true' })
    const [ours] = github.commentsOn(PR)
    runEngine.mockResolvedValueOnce(deleted('a1'))
    const from = github.requests.length
    await runPost()
    expect(github.since(from)).toEqual([`PATCH /repos/acme/shop/issues/comments/${ours.id}`])
    expect(rendered(ours.body)).toContain('Deleted by the delete-on-exit post step: its URLs answer no more.')
    expect(core.setFailed).not.toHaveBeenCalled()
    // the token is read again from the input, never saved with the step's state
    expect(JSON.stringify(state)).not.toContain(TOKEN)
  })

  it('is left as it is by a post step that deleted no API (the API was there before the step)', async () => {
    await mainStep(created('a1', 'created', 21), { 'delete-on-exit': 'true' })
    const [ours] = github.commentsOn(PR)
    const body = ours.body
    runEngine.mockResolvedValueOnce({
      ...(deleted('') as object),
      outputs: { 'api-id': '', 'vpc-link-id': 'l1' }
    })
    const from = github.requests.length
    await runPost()
    expect(github.since(from)).toEqual([])
    expect(github.commentsOn(PR)[0].body).toBe(body)
  })

  it('is left gone by the post step when a person deleted it: no warning', async () => {
    await mainStep(created('a1', 'created', 21), { 'delete-on-exit': 'true' })
    const [ours] = github.commentsOn(PR)
    github.comments.splice(0)
    runEngine.mockResolvedValueOnce(deleted('a1'))
    const from = github.requests.length
    await runPost()
    expect(github.since(from)).toEqual([`PATCH /repos/acme/shop/issues/comments/${ours.id}`])
    expect(github.comments).toEqual([])
    expect(warnings()).toEqual([])
  })

  it('is not touched by a dry run', async () => {
    const calls = await mainStep(
      { ...(created('', 'would-create', 21) as object), outputs: {} },
      {
        'dry-run': 'true',
        'deployment-environment': 'pr-7'
      }
    )
    expect(calls).toEqual([])
  })
})

describe('the GitHub deployment', () => {
  it('goes in_progress before the AWS work, then success at the invoke URL', async () => {
    Object.assign(inputs, {})
    runEngine.mockImplementationOnce(() => {
      // the AWS work starts after the deployment is in progress
      expect(github.deployments.map(d => d.statuses.map(s => s.state))).toEqual([['in_progress']])
      return Promise.resolve(created('a1', 'created', 21))
    })
    const from = github.requests.length
    Object.assign(inputs, {
      'load-balancer': 'x-1.elb.us-west-2.amazonaws.com',
      'api-name': 'pr-7',
      stage: 'preview',
      'github-token': TOKEN,
      'deployment-environment': 'pr-7-preview'
    })
    await run()
    const [d] = github.deployments
    expect(github.since(from)).toEqual([
      'POST /repos/acme/shop/deployments',
      `POST /repos/acme/shop/deployments/${d.id}/statuses`,
      `POST /repos/acme/shop/deployments/${d.id}/statuses`
    ])
    expect(d).toMatchObject({ ref: HEAD_SHA, environment: 'pr-7-preview', transient_environment: false })
    expect(d.statuses).toEqual([
      { state: 'in_progress', environment_url: '', log_url: 'http://127.0.0.1:9/acme/shop/actions/runs/42' },
      {
        state: 'success',
        environment_url: invoke('a1'),
        log_url: 'http://127.0.0.1:9/acme/shop/actions/runs/42'
      }
    ])
    expect(core.setOutput).toHaveBeenCalledWith('deployment-id', String(d.id))
  })

  it("points at the custom domain's URL when there is one", async () => {
    await mainStep(created('a1', 'created', 21, { 'domain-url': 'https://pr-7.example.com/' }), {
      'pull-request-comment': 'false',
      'deployment-environment': 'pr-7-preview'
    })
    expect(github.deployments[0].statuses.map(s => s.environment_url)).toEqual([
      '',
      'https://pr-7.example.com/'
    ])
  })

  it('fails when the run fails, which fails for its own reason alone', async () => {
    runEngine.mockRejectedValueOnce(new Error('AWS said no'))
    Object.assign(inputs, {
      'load-balancer': 'x-1.elb.us-west-2.amazonaws.com',
      'api-name': 'pr-7',
      'github-token': TOKEN,
      'deployment-environment': 'pr-7-preview'
    })
    await run()
    expect(github.deployments[0].statuses.map(s => s.state)).toEqual(['in_progress', 'failure'])
    expect(core.setFailed).toHaveBeenCalledTimes(1)
    expect(core.setFailed).toHaveBeenCalledWith('AWS said no')
  })

  it('goes inactive on a delete (found by its gateway) and in the post step', async () => {
    await mainStep(created('a1', 'created', 21), {
      'pull-request-comment': 'false',
      'deployment-environment': 'pr-7-preview'
    })
    await mainStep(created('b2', 'created', 21), {
      'api-name': 'other',
      'pull-request-comment': 'false',
      // an environment a gateway: one gateway's success would leave another's deployment inactive
      'deployment-environment': 'other-preview'
    })
    const [ours, other] = github.deployments
    // newer, in the same environment: another gateway's run that failed there (by mistake), and a person's
    const seed = { ...ours, environment: 'pr-7-preview', creator: ACTIONS_BOT }
    github.deployments.push(
      {
        ...seed,
        id: 99_998,
        payload: { 'cortex-rest-gateway': { apiName: 'pr-7-api', stage: 'preview' } },
        statuses: [{ state: 'failure', environment_url: '', log_url: '' }]
      },
      { ...seed, id: 99_999, payload: {}, creator: PERSON, statuses: [] }
    )
    const calls = await mainStep(deleted('a1'), {
      mode: 'delete',
      'load-balancer': '',
      'pull-request-comment': 'false',
      'deployment-environment': 'pr-7-preview'
    })
    expect(calls).toEqual([
      'GET /repos/acme/shop/deployments',
      `POST /repos/acme/shop/deployments/${ours.id}/statuses`
    ])
    expect(ours.statuses.map(s => s.state)).toEqual(['in_progress', 'success', 'inactive'])
    expect(other.statuses.map(s => s.state)).toEqual(['in_progress', 'success'])

    await mainStep(created('c3', 'created', 21), {
      'api-name': 'pr-8',
      'pull-request-comment': 'false',
      'deployment-environment': 'pr-8-preview',
      'delete-on-exit': 'true'
    })
    const post = github.deployments[4]
    runEngine.mockResolvedValueOnce(deleted('c3'))
    const from = github.requests.length
    await runPost()
    expect(github.since(from)).toEqual([`POST /repos/acme/shop/deployments/${post.id}/statuses`])
    expect(post.statuses.map(s => s.state)).toEqual(['in_progress', 'success', 'inactive'])
  })
})

describe('GitHub saying no', () => {
  const both = { 'deployment-environment': 'pr-7-preview' }

  it("never fails the run: a fork's read-only token gets one warning naming the permissions", async () => {
    const readOnly = `ghs_${'R3ad'.repeat(9)}`
    github.grant(readOnly, { ...WORKFLOW_TOKEN, pullRequests: 'read', deployments: 'read' })
    await mainStep(created('a1', 'created', 21), { ...both, 'github-token': readOnly })
    expect(runEngine).toHaveBeenCalledTimes(1)
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.setOutput).toHaveBeenCalledWith('invoke-url', invoke('a1'))
    expect(core.setOutput).toHaveBeenCalledWith('result', 'created')
    expect(core.setOutput).toHaveBeenCalledWith('deployment-id', '')
    expect(warnings()).toEqual([
      'GitHub refused the deployment (403 Resource not accessible by integration) and the pull request ' +
        "comment (403 Resource not accessible by integration): grant the job 'deployments: write' and " +
        "'pull-requests: write' in its permissions (a pull request from a fork gets a read-only token, which " +
        'no permission lifts). The gateway is made all the same: this run succeeds.'
    ])
    expect(github.comments).toEqual([])
  })

  it('says to check github-token when GitHub does not know the token', async () => {
    await mainStep(created('a1', 'created', 21), {
      'github-token': 'ghs_revoked0000000000000000000000000000'
    })
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(warnings()).toEqual([
      "GitHub refused the pull request comment (401 Bad credentials): check 'github-token'. The gateway is " +
        'made all the same: this run succeeds.'
    ])
  })

  it('never fails the run when GitHub is down: one warning, and no call after the first that failed', async () => {
    await github.stop()
    try {
      await mainStep(created('a1', 'created', 21), both)
    } finally {
      await github.start()
    }
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.setOutput).toHaveBeenCalledWith('result', 'created')
    expect(warnings()).toHaveLength(1)
    expect(warnings()[0]).toMatch(/GitHub did not answer/)
  })

  it('never fails the run when GitHub answers 503, nor a delete, nor the post step', async () => {
    github.failWith = 503
    const calls = await mainStep(created('a1', 'created', 21), { ...both, 'delete-on-exit': 'true' })
    // the deployment's first call failed: nothing else is tried
    expect(calls).toEqual(['POST /repos/acme/shop/deployments'])
    expect(warnings()).toEqual([expect.stringContaining('GitHub did not answer (Service Unavailable)')])
    runEngine.mockResolvedValueOnce(deleted('a1'))
    await runPost()
    await mainStep(deleted('a1'), { ...both, mode: 'delete', 'load-balancer': '' })
    expect(core.setFailed).not.toHaveBeenCalled()
    expect(runEngine).toHaveBeenCalledTimes(3)
    // one a step: the main step's, the post step's, the delete's
    expect(warnings()).toEqual([
      'GitHub did not answer (Service Unavailable): the pull request comment and the deployment are not up to ' +
        "date (the job's permissions need 'pull-requests: write' for the pull request comment and " +
        "'deployments: write' for the deployment). The gateway is made all the same: this run succeeds.",
      expect.stringContaining('The gateway is deleted all the same: this run succeeds.'),
      expect.stringContaining('The gateway is deleted all the same: this run succeeds.')
    ])
  })

  it('writes the token nowhere: not in the log, the outputs, the state nor the summary; and masks it', async () => {
    const readOnly = `ghs_${'S3cr'.repeat(9)}`
    github.grant(readOnly, { ...WORKFLOW_TOKEN, pullRequests: 'read', deployments: 'none' })
    await mainStep(created('a1', 'created', 21), { ...both, 'github-token': readOnly })
    await github.stop()
    try {
      await mainStep(created('a1', 'created', 21), { ...both, 'github-token': readOnly })
    } finally {
      await github.start()
    }
    expect(core.setSecret).toHaveBeenCalledWith(readOnly)
    const written = [
      core.info,
      core.debug,
      core.warning,
      core.notice,
      core.setOutput,
      core.setFailed,
      core.saveState,
      core.summary.addRaw
    ].flatMap(f => (f.mock.calls as unknown[][]).flat().map(a => JSON.stringify(a)))
    expect(written.length).toBeGreaterThan(10)
    expect(written.filter(w => w.includes(readOnly) || w.includes('S3crS3cr'))).toEqual([])
  })
})

describe('the GitHub calls of a run, as the stand-in counts them', () => {
  it('a create, a re-run that changes nothing and a delete, with the comment and a deployment', async () => {
    const both = { 'deployment-environment': 'pr-7-preview' }
    const statuses = (id: number): string => `POST /repos/acme/shop/deployments/${id}/statuses`
    const create = await mainStep(created('a1', 'created', 21), both)
    const [comment] = github.commentsOn(PR)
    const first = github.deployments[0].id
    expect(create).toEqual([
      'POST /repos/acme/shop/deployments',
      statuses(first),
      `GET ${COMMENTS}`,
      `POST ${COMMENTS}`,
      statuses(first)
    ])
    // the run after a create says "nothing to change" where it said "created": one edit
    await mainStep(created('a1', 'unchanged', 0), both)
    const rerun = await mainStep(created('a1', 'unchanged', 0), both)
    const third = github.deployments[2].id
    // each run is a deployment of its own; the comment is read, and left as it is
    expect(rerun).toEqual([
      'POST /repos/acme/shop/deployments',
      statuses(third),
      `GET ${COMMENTS}`,
      statuses(third)
    ])
    const gone = await mainStep(deleted('a1'), { ...both, mode: 'delete', 'load-balancer': '' })
    expect(gone).toEqual([
      `GET ${COMMENTS}`,
      `PATCH /repos/acme/shop/issues/comments/${comment.id}`,
      'GET /repos/acme/shop/deployments',
      statuses(third)
    ])
    expect(github.deployments.map(d => d.statuses.map(s => s.state).join(' → '))).toEqual([
      // GitHub's auto_inactive: each success leaves the environment's earlier deployments inactive
      'in_progress → success → inactive',
      'in_progress → success → inactive',
      'in_progress → success → inactive'
    ])
  })
})

describe('the inputs', () => {
  it.each([
    ['deployment-environment', { 'deployment-environment': 'pr-7\npreview' }, 'is not an environment name'],
    ['pull-request-comment', { 'pull-request-comment': 'yes' }, 'is not a boolean'],
    ['github-token', { 'github-token': ' ' }, "needs a token for GitHub's API"]
  ])('%s: a clear error naming the input, before any AWS or GitHub call', async (name, bad, says) => {
    const calls = await mainStep(created('a1', 'created', 21), bad)
    expect(runEngine).not.toHaveBeenCalled()
    expect(calls).toEqual([])
    expect(core.setFailed).toHaveBeenCalledWith(expect.stringContaining(`Input '${name}': `))
    expect(core.setFailed).toHaveBeenCalledWith(expect.stringContaining(says))
  })

  it("are the action's alone, and read nothing of GitHub when neither is on", async () => {
    expect(await mainStep(created('a1', 'created', 21), { 'pull-request-comment': 'false' })).toEqual([])
    expect(core.setFailed).not.toHaveBeenCalled()
  })
})
