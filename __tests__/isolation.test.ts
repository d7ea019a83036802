/**
 * Owned means ours (issue 9): what a hostile or unlucky user can make the action do, tried on the
 * bundled action as the runner runs it, against moto server behind the recording proxy. Each
 * describe names the case it covers.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand
} from '@aws-sdk/client-api-gateway'
import { createLoadBalancer, testClients, type SeededLoadBalancer } from './support/aws.js'
import { expectWholeGateway, readGateway } from './support/gateway.js'
import { motoBehindProxy } from './support/harness.js'
import { runAction, type ActionRun } from './support/run-action.js'
import { expectInertSummary } from './support/summary.js'

const aws = motoBehindProxy()

let publicLb: SeededLoadBalancer
let internalLb: SeededLoadBalancer

beforeEach(async () => {
  const fresh = await aws.freshAccount()
  publicLb = fresh.publicLb
  internalLb = fresh.internalLb
})

const run = (inputs: Record<string, string>, env?: Record<string, string>) =>
  runAction(inputs, { endpoint: aws.proxy.endpoint, env })

/** Every line the run wrote where the runner or a reader looks: the log, each output, the summary. */
function everyLine(r: ActionRun): string[] {
  return [
    ...r.stdout.split('\n'),
    ...Object.values(r.outputs).flatMap(v => v.split('\n')),
    ...r.summary.split('\n')
  ]
}

describe('2. workflow-command injection', () => {
  it.each([
    ['::error::INJ'],
    ['::set-output name=api-id::evil'],
    ['::add-mask::dev'],
    ['::stop-commands::tok']
  ])('an api-name with a new line and %s is refused before any write, naming the input', async command => {
    const res = await run({ 'load-balancer': publicLb.dnsName, 'api-name': `gw\n${command}` })
    expect(res.code).toBe(1)
    expect(res.errors).toHaveLength(1)
    expect(res.errors[0]).toContain("Input 'api-name': must not hold control characters")
    expect(aws.proxy.writes()).toEqual([])
    expect((await readGateway(aws.moto.endpoint, `gw\n${command}`)).apis).toEqual([])
    for (const line of everyLine(res)) expect(line.startsWith(command)).toBe(false)
  })

  it.each([['vpc-link-name'], ['tags']])(
    'a new line in %s is refused before any write, naming the input',
    async input => {
      const value = input === 'tags' ? 'team=ml\u2028::error::INJ' : 'link\r::error::INJ'
      const res = await run({ 'load-balancer': internalLb.dnsName, [input]: value })
      expect(res.code).toBe(1)
      expect(res.errors.join('\n')).toContain(`Input '${input}'`)
      expect(aws.proxy.writes()).toEqual([])
      for (const line of everyLine(res)) expect(line).not.toMatch(/^\s*::error::INJ/)
    }
  )

  it.each([
    ['api-name', 'prod-\u202egnp.exe', 'U+202E'],
    ['api-name', 'gw\u2066x\u2069', 'U+2066'],
    ['vpc-link-name', 'link\u200fx', 'U+200F'],
    ['stage', 'dev\u061c', 'U+061C'],
    ['tags', 'team=ml\u202d', 'U+202D'],
    ['api-name', 'gw\u0085::error::INJ', 'U+0085'],
    ['api-name', 'gw\u009b31mred', 'U+009B']
  ])(
    'a bidi control or C1 character in %s (%j) is refused before any write, naming the input and %s',
    async (input, value, shown) => {
      const res = await run({ 'load-balancer': internalLb.dnsName, [input]: value })
      expect(res.code).toBe(1)
      expect(res.errors).toHaveLength(1)
      expect(res.errors[0]).toContain(`Input '${input}': must not hold ${shown}`)
      expect(aws.proxy.writes()).toEqual([])
      for (const line of everyLine(res)) {
        expect(line).not.toMatch(/[\p{Cf}\u0080-\u009f]/u)
        expect(line).not.toMatch(/^\s*::error::INJ/)
      }
    }
  )

  it('a name that is itself a workflow command never starts a line of the log, an output or the summary', async () => {
    const name = '::error::INJ'
    const made = await run({ 'load-balancer': internalLb.dnsName, 'api-name': name })
    expect(made.code).toBe(0)
    const gone = await run({ mode: 'delete', 'api-name': name })
    expect(gone.code).toBe(0)
    for (const res of [made, gone]) {
      expect(res.errors).toEqual([])
      for (const line of everyLine(res)) expect(line).not.toMatch(/^\s*::error::INJ/)
    }
    // it was taken as the name it is, not as a command
    expect(made.stdout).toContain('REST gateway "::error::INJ"')
  })
})

describe('3. job summary injection', () => {
  it('renders a stage or api-name holding markdown as plain text, also in the failure summary', async () => {
    const name = '# Title ```x``` ![p](http://attacker.invalid/p.png) <img src=x>'
    // a stage with markdown fails validation: the failure summary shows both as text
    const failed = await run({
      'load-balancer': publicLb.dnsName,
      'api-name': name,
      stage: '```\n![p](http://attacker.invalid/q.png)'
    })
    expect(failed.code).toBe(1)
    const made = await run({ 'load-balancer': publicLb.dnsName, 'api-name': name })
    expect(made.code).toBe(0)
    for (const res of [failed, made]) {
      // the diagram's fence and lines are ours; no markup of the value, no link to its host, anywhere
      const rest = expectInertSummary(res.summary, 'attacker.invalid')
      for (const line of rest) expect(line).not.toMatch(/^\s*(#+ Title|```|!\[)/)
    }
    expect(made.summaryText).toContain(`REST gateway "${name}": created`)
  })
})

describe('9. a load balancer URL with credentials', () => {
  it('never echoes the password, in the log, the error or the summary', async () => {
    const res = await run({
      'load-balancer': 'http://admin:s3cr3t-pw@nowhere-1.us-west-2.elb.amazonaws.com/'
    })
    expect(res.code).toBe(1)
    expect(res.errors.join('\n')).toContain(
      'no load balancer with DNS name nowhere-1.us-west-2.elb.amazonaws.com'
    )
    for (const text of [res.stdout, res.stderr, res.summary, res.summaryText])
      expect(text).not.toContain('s3cr3t-pw')
    expect(aws.proxy.writes()).toEqual([])
  })

  it('never echoes a token in its query or fragment either (issue 20, hole 9)', async () => {
    const res = await run({ 'load-balancer': 'http://user:hunter2@bad_host!/?token=hunter3#hunter4' })
    expect(res.code).toBe(1)
    expect(res.errors.join('\n')).toContain('Input \'load-balancer\': "http://***@bad_host!/?***" is neither')
    for (const text of [res.stdout, res.stderr, res.summary, res.summaryText])
      expect(text).not.toContain('hunter')
    expect(aws.proxy.writes()).toEqual([])
  })
})

/**
 * The VPC links each integration of an API goes through (read through the proxy, as AWS shows them): named,
 * or named by a stage variable, as its stages set it.
 */
async function linksOf(apiName: string): Promise<string[]> {
  const state = await readGateway(aws.proxy.endpoint, apiName)
  const ids = state.resources.flatMap(r =>
    Object.values(r.resourceMethods ?? {}).flatMap(m => {
      const id = m.methodIntegration?.connectionId
      const name = /^\$\{stageVariables\.(\w+)\}$/.exec(id ?? '')?.[1]
      return name === undefined ? [id] : state.stages.map(st => st.variables?.[name])
    })
  )
  return [...new Set(ids.filter((id): id is string => Boolean(id)))]
}

const linkIds = async (): Promise<string[]> =>
  (await readGateway(aws.moto.endpoint, '-')).links.map(l => l.id!).sort()

describe('4. names that do not survive tagging', () => {
  it('a name with characters tags cannot hold is traced to its VPC link, and delete takes the link along', async () => {
    const name = 'pr#7 (test)'
    const made = await run({ 'load-balancer': internalLb.dnsName, 'api-name': name })
    expect(made.code).toBe(0)
    const link = made.outputs['vpc-link-id']
    expect(await linkIds()).toEqual([link])
    aws.proxy.clear()
    expect((await run({ 'load-balancer': internalLb.dnsName, 'api-name': name })).outputs.result).toBe(
      'unchanged'
    )
    expect(aws.proxy.writes()).toEqual([])
    const gone = await run({ mode: 'delete', 'api-name': name })
    expect(gone.outputs).toMatchObject({ result: 'deleted', 'vpc-link-id': link })
    expect(await linkIds()).toEqual([])
  })

  it(
    'refuses, before any write, a name too long to record whole; ' +
      'one of 250 characters works, VPC link name included',
    async () => {
      const refused = await run({ 'load-balancer': internalLb.dnsName, 'api-name': 'n'.repeat(300) })
      expect(refused.code).toBe(1)
      expect(refused.errors.join('\n')).toContain(
        "Input 'api-name': is too long to be recorded whole in a tag"
      )
      expect(aws.proxy.writes()).toEqual([])

      const long = 'n'.repeat(250)
      const made = await run({ 'load-balancer': internalLb.dnsName, 'api-name': long })
      expect(made.errors).toEqual([])
      expect((await readGateway(aws.moto.endpoint, long)).links[0].name).toHaveLength(255)
      expect((await run({ mode: 'delete', 'api-name': long })).outputs.result).toBe('deleted')
      expect(await linkIds()).toEqual([])
    }
  )

  it(
    'two names that map to the same text stay apart: ' +
      "team-a's runs never delete the link team!a goes through",
    async () => {
      const bang = await run({ 'load-balancer': internalLb.dnsName, 'api-name': 'team!a' })
      const link = bang.outputs['vpc-link-id']
      // team-a in front of the internet-facing load balancer: no link of its own, none to tidy up
      const dash = await run({ 'load-balancer': publicLb.dnsName, 'api-name': 'team-a' })
      expect(dash.code).toBe(0)
      expect(await linkIds()).toEqual([link])
      expect((await run({ mode: 'delete', 'api-name': 'team-a' })).outputs['vpc-link-id']).toBe('')
      expect(await linkIds()).toEqual([link])
      expect(await linksOf('team!a')).toEqual([link])
    }
  )
})

describe('5. a VPC link shared between gateways', () => {
  it('is kept while another gateway goes through it, and the last gateway to go takes it along', async () => {
    const g1 = await run({ 'load-balancer': internalLb.dnsName, 'api-name': 'g1' })
    const g2 = await run({ 'load-balancer': internalLb.dnsName, 'api-name': 'g2' })
    const link = g1.outputs['vpc-link-id']
    expect(g2.outputs['vpc-link-id']).toBe(link)

    aws.proxy.clear()
    const first = await run({ mode: 'delete', 'api-name': 'g1' })
    expect(first.outputs).toMatchObject({ result: 'deleted', 'vpc-link-id': '' })
    expect(first.stdout).toContain(
      `VPC link ${link} is kept: REST API ${g2.outputs['api-id']} still goes through it`
    )
    // not even tried: the action knew
    expect(aws.proxy.writes().map(w => w.operation)).toEqual(['DELETE /restapis/{id}'])
    expect(await linkIds()).toEqual([link])
    expect(await linksOf('g2')).toEqual([link])
    aws.proxy.clear()
    expect((await run({ 'load-balancer': internalLb.dnsName, 'api-name': 'g2' })).outputs.result).toBe(
      'unchanged'
    )
    expect(aws.proxy.writes()).toEqual([])

    const last = await run({ mode: 'delete', 'api-name': 'g2' })
    expect(last.outputs).toMatchObject({ result: 'deleted', 'vpc-link-id': link })
    expect(await linkIds()).toEqual([])
  })
})

describe('6. other repositories and adopt', () => {
  const payments = { GITHUB_REPOSITORY: 'other-org/payments' }

  it("another repository's gateway of the same name is neither changed nor deleted, unless adopted", async () => {
    const theirs = await run({ 'load-balancer': internalLb.dnsName }, payments)
    expect(theirs.code).toBe(0)
    const apiId = theirs.outputs['api-id']

    aws.proxy.clear()
    const create = await run({ 'load-balancer': internalLb.dnsName })
    expect(create.code).toBe(1)
    expect(create.errors.join('\n')).toContain(
      `${apiId} (made by this action from repository other-org/payments)`
    )
    expect(create.errors.join('\n')).toContain("set 'adopt: true' to take it over")
    const remove = await run({ mode: 'delete' })
    expect(remove.code).toBe(0)
    expect(remove.outputs.result).toBe('absent')
    expect(remove.stdout).toContain('other-org/payments')
    expect(aws.proxy.writes()).toEqual([])

    const adopted = await run({ 'load-balancer': internalLb.dnsName, adopt: 'true' })
    expect(adopted.code).toBe(0)
    expect(adopted.outputs).toMatchObject({
      result: 'updated',
      'api-id': apiId,
      'invoke-url': theirs.outputs['invoke-url']
    })
    expect(adopted.outputs.plan).toContain(
      `adopt REST API ${apiId} (made by this action from repository other-org/payments)`
    )
    const state = await readGateway(aws.proxy.endpoint, 'cortex')
    expect(state.api.tags).toMatchObject({ 'cortex-rest-gateway:repository': 'octo-org/cortex-app' })
    // the API is taken over, not their VPC link: ours now goes through a link of its own
    const theirLink = theirs.outputs['vpc-link-id']
    expect(adopted.outputs['vpc-link-id']).not.toBe(theirLink)
    expect(await linksOf('cortex')).toEqual([adopted.outputs['vpc-link-id']])
    // now it is ours: a re-run without adopt finds it and writes nothing
    aws.proxy.clear()
    expect((await run({ 'load-balancer': internalLb.dnsName })).outputs.result).toBe('unchanged')
    expect(aws.proxy.writes()).toEqual([])
    // theirs no longer touches the API; it takes its own unused link away
    const theirDelete = await run({ mode: 'delete' }, payments)
    expect(theirDelete.outputs).toMatchObject({ 'api-id': '', 'vpc-link-id': theirLink })
    expect(aws.proxy.writes().map(w => w.operation)).toEqual(['DELETE /vpclinks/{id}'])
    expect(await linkIds()).toEqual([adopted.outputs['vpc-link-id']])
    expectWholeGateway(await readGateway(aws.proxy.endpoint), internalLb, { internal: true })
  })

  it(
    "adopts a gateway made by hand with the guide's console steps: " +
      'same id, routed as the action routes it',
    async () => {
      const { apigw } = testClients(aws.moto.endpoint)
      const api = await apigw.send(
        new CreateRestApiCommand({ name: 'cortex', endpointConfiguration: { types: ['REGIONAL'] } })
      )
      const root = (await apigw.send(new GetResourcesCommand({ restApiId: api.id }))).items![0]
      const proxy = await apigw.send(
        new CreateResourceCommand({ restApiId: api.id, parentId: root.id, pathPart: '{proxy+}' })
      )
      const base = { restApiId: api.id, resourceId: proxy.id, httpMethod: 'ANY' }
      await apigw.send(
        new PutMethodCommand({
          ...base,
          authorizationType: 'NONE',
          requestParameters: { 'method.request.path.proxy': true }
        })
      )
      await apigw.send(
        new PutIntegrationCommand({
          ...base,
          type: 'HTTP_PROXY',
          integrationHttpMethod: 'ANY',
          uri: `http://${publicLb.dnsName}/{proxy}`
        })
      )
      await apigw.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'dev' }))

      const refused = await run({ 'load-balancer': publicLb.dnsName })
      expect(refused.errors.join('\n')).toContain(`${api.id} (not made by this action)`)
      const adopted = await run({ 'load-balancer': publicLb.dnsName, adopt: 'true' })
      expect(adopted.errors).toEqual([])
      expect(adopted.outputs).toMatchObject({ result: 'updated', 'api-id': api.id })
      expectWholeGateway(await readGateway(aws.proxy.endpoint), publicLb, { internal: false })
      aws.proxy.clear()
      expect((await run({ 'load-balancer': publicLb.dnsName, adopt: 'true' })).outputs.result).toBe(
        'unchanged'
      )
      expect(aws.proxy.writes()).toEqual([])
    }
  )
})

describe('1. delete-on-exit deletes only what its step made', () => {
  /** The post step as the runner runs it: the same inputs, the main step's state as STATE_* variables. */
  const post = (inputs: Record<string, string>, state: Record<string, string>) =>
    run(inputs, Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v])))

  it('leaves a gateway the step found already there, and says so', async () => {
    const longLived = await run({ 'load-balancer': internalLb.dnsName })
    const inputs = { 'load-balancer': internalLb.dnsName, 'delete-on-exit': 'true' }
    aws.proxy.clear()
    const main = await run(inputs)
    expect(main.outputs.result).toBe('unchanged')
    const end = await post(inputs, main.state)
    expect(end.code).toBe(0)
    expect(aws.proxy.writes()).toEqual([])
    expect(end.stdout).toContain(
      `REST API ${longLived.outputs['api-id']} is left: it was there before this step`
    )
    expect(end.stdout).toContain(
      `VPC link ${longLived.outputs['vpc-link-id']} is left: it was there before this step`
    )
    expectWholeGateway(await readGateway(aws.proxy.endpoint), internalLb, { internal: true })
  })

  it('after a main step that failed half-way, deletes the API and VPC link it had made, and nothing else', async () => {
    // another gateway of ours on the same NLB would lend its link: make the preview's own by another NLB
    const other = await createLoadBalancer(aws.moto.endpoint, { name: 'cortex-other', scheme: 'internal' })
    const keep = await run({ 'load-balancer': internalLb.dnsName, 'api-name': 'keep' })
    const inputs = { 'load-balancer': other.dnsName, 'api-name': 'pr-9', 'delete-on-exit': 'true' }
    aws.proxy.options.fault = rec =>
      rec.operation === 'POST /restapis/{id}/deployments'
        ? { kind: 'status', status: 403, code: 'AccessDeniedException' }
        : undefined
    const main = await run(inputs)
    aws.proxy.options.fault = undefined
    expect(main.code).toBe(1)
    const saved = JSON.parse(main.state.cleanup) as { created: { apiIds: string[]; vpcLinkIds: string[] } }
    expect(saved.created.apiIds).toHaveLength(1)
    expect(saved.created.vpcLinkIds).toHaveLength(1)

    aws.proxy.clear()
    const end = await post(inputs, main.state)
    expect(end.code).toBe(0)
    expect(end.summaryText).toContain('REST gateway "pr-9": deleted')
    expect(end.summaryText).toContain(`<code>${saved.created.vpcLinkIds[0]}</code>`)
    expect((await readGateway(aws.moto.endpoint, 'pr-9')).apis).toEqual([])
    expect(await linkIds()).toEqual([keep.outputs['vpc-link-id']])
    expect(await linksOf('keep')).toEqual([keep.outputs['vpc-link-id']])
  })

  it('deletes the API it made but not a VPC link another gateway lent it', async () => {
    const keep = await run({ 'load-balancer': internalLb.dnsName, 'api-name': 'keep' })
    const inputs = { 'load-balancer': internalLb.dnsName, 'api-name': 'pr-10', 'delete-on-exit': 'true' }
    const main = await run(inputs)
    expect(main.outputs).toMatchObject({ result: 'created', 'vpc-link-id': keep.outputs['vpc-link-id'] })
    const end = await post(inputs, main.state)
    expect(end.stdout).toContain(
      `VPC link ${keep.outputs['vpc-link-id']} is left: it was there before this step`
    )
    expect(end.summaryText).toContain(`<code>${main.outputs['api-id']}</code>`)
    expect(end.summaryText).toMatch(/Deleted VPC link<\/th><td>—/)
    expect((await readGateway(aws.moto.endpoint, 'pr-10')).apis).toEqual([])
    expect(await linksOf('keep')).toEqual([keep.outputs['vpc-link-id']])
    expect(await linkIds()).toEqual([keep.outputs['vpc-link-id']])
  })
})

describe('5 and 1. a VPC link outlives no gateway', () => {
  const post = (inputs: Record<string, string>, state: Record<string, string>) =>
    run(inputs, Object.fromEntries(Object.entries(state).map(([k, v]) => [`STATE_${k}`, v])))

  it(
    "two previews on one NLB: the second borrows the first one's link; " +
      'after both post steps no link is left',
    async () => {
      const one = { 'load-balancer': internalLb.dnsName, 'api-name': 'pr-1', 'delete-on-exit': 'true' }
      const two = { 'load-balancer': internalLb.dnsName, 'api-name': 'pr-2', 'delete-on-exit': 'true' }
      const m1 = await run(one)
      const m2 = await run(two)
      expect(m2.outputs['vpc-link-id']).toBe(m1.outputs['vpc-link-id'])
      const p1 = await post(one, m1.state)
      expect(p1.stdout).toContain(
        `VPC link ${m1.outputs['vpc-link-id']} is kept: ` +
          `REST API ${m2.outputs['api-id']} still goes through it`
      )
      expect(await linksOf('pr-2')).toEqual([m1.outputs['vpc-link-id']])
      await post(two, m2.state)
      expect(await linkIds()).toEqual([])
    }
  )

  it('a delete stopped after its API went leaves a borrowed link its re-run still takes along', async () => {
    const g1 = await run({ 'load-balancer': internalLb.dnsName, 'api-name': 'g1' })
    await run({ 'load-balancer': internalLb.dnsName, 'api-name': 'g2' })
    await run({ mode: 'delete', 'api-name': 'g1' })
    aws.proxy.options.fault = rec =>
      rec.method === 'DELETE' && rec.path.startsWith('/vpclinks/')
        ? { kind: 'status', status: 403, code: 'AccessDeniedException' }
        : undefined
    const stopped = await run({ mode: 'delete', 'api-name': 'g2' })
    aws.proxy.options.fault = undefined
    expect(stopped.code).toBe(1)
    expect(await linkIds()).toEqual([g1.outputs['vpc-link-id']])
    const again = await run({ mode: 'delete', 'api-name': 'g2' })
    expect(again.outputs).toMatchObject({
      result: 'deleted',
      'api-id': '',
      'vpc-link-id': g1.outputs['vpc-link-id']
    })
    expect(await linkIds()).toEqual([])
  })
})

describe('7. delete in the wrong region', () => {
  it('fails, saying where the gateway is, instead of reporting success while it lives on', async () => {
    const made = await run({ 'load-balancer': publicLb.dnsName })
    aws.proxy.clear()
    const res = await run({ mode: 'delete', 'load-balancer': publicLb.dnsName }, { AWS_REGION: 'us-east-1' })
    expect(res.code).toBe(1)
    expect(res.errors.join('\n')).toContain(
      "Input 'region': the run is in us-east-1 (from AWS_REGION), " +
        "but the load balancer's DNS name says region us-west-2"
    )
    expect(res.outputs.result).toBeUndefined()
    expect(aws.proxy.requests).toEqual([])
    expect((await readGateway(aws.moto.endpoint, 'cortex')).api?.id).toBe(made.outputs['api-id'])
    // where the gateway is, it goes
    const there = await run({ mode: 'delete', 'load-balancer': publicLb.dnsName, region: 'us-west-2' })
    expect(there.outputs).toMatchObject({ result: 'deleted', 'api-id': made.outputs['api-id'] })
  })

  it('gives a load balancer ARN from another region the same hint as a DNS name', async () => {
    const res = await run({ 'load-balancer': publicLb.arn }, { AWS_REGION: 'eu-west-1' })
    expect(res.errors.join('\n')).toContain(
      "but the load balancer's ARN says region us-west-2: its gateway is in us-west-2"
    )
    expect(aws.proxy.writes()).toEqual([])
  })
})

describe('9. smaller, same theme', () => {
  it('tags the stage as the API is tagged (cost allocation reads stage tags), and keeps it tagged', async () => {
    await run({ 'load-balancer': publicLb.dnsName, tags: 'team=ml' })
    const [stage] = (await readGateway(aws.moto.endpoint, 'cortex')).stages
    expect(stage.tags).toMatchObject({
      team: 'ml',
      'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
      'cortex-rest-gateway:repository': 'octo-org/cortex-app',
      'cortex-rest-gateway:api-name': 'cortex'
    })
    aws.proxy.clear()
    const changed = await run({
      'load-balancer': publicLb.dnsName,
      tags: 'team=ops',
      authorization: 'AWS_IAM'
    })
    expect(changed.outputs.result).toBe('updated')
    expect((await readGateway(aws.moto.endpoint, 'cortex')).stages[0].tags).toMatchObject({ team: 'ops' })
    aws.proxy.clear()
    await run({ 'load-balancer': publicLb.dnsName, tags: 'team=ops', authorization: 'AWS_IAM' })
    expect(aws.proxy.writes()).toEqual([])
  })

  it("delete's stage output is the stages removed; what a person added goes too, and a warning names it", async () => {
    const made = await run({ 'load-balancer': publicLb.dnsName })
    const { apigw } = testClients(aws.moto.endpoint)
    const restApiId = made.outputs['api-id']
    await apigw.send(new CreateDeploymentCommand({ restApiId, stageName: 'prod' }))
    const root = (await apigw.send(new GetResourcesCommand({ restApiId }))).items!.find(r => r.path === '/')!
    await apigw.send(new CreateResourceCommand({ restApiId, parentId: root.id, pathPart: 'health' }))
    const gone = await run({ mode: 'delete' })
    expect(gone.outputs.stage.split('\n').sort()).toEqual(['dev', 'prod'])
    expect(gone.stdout).toMatch(
      new RegExp(
        `::warning::Deleting REST API ${restApiId} also removes what this action did not put there: ` +
          'stage prod, resource /health'
      )
    )
    const again = await run({ mode: 'delete' })
    expect(again.outputs).toMatchObject({ result: 'absent', stage: '' })
  })

  it('says a same-named API is not ours without first saying there is none', async () => {
    const { apigw } = testClients(aws.moto.endpoint)
    await apigw.send(new CreateRestApiCommand({ name: 'cortex' }))
    const res = await run({ 'load-balancer': publicLb.dnsName })
    expect(res.code).toBe(1)
    expect(res.stdout).not.toContain('none yet')
  })

  it('with no AWS credentials at all, says so and points at configure-aws-credentials', async () => {
    const res = await run(
      { 'load-balancer': publicLb.dnsName },
      // nothing to find: no keys, no profile, and no instance metadata (which is not on loopback)
      { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_EC2_METADATA_DISABLED: 'true', AWS_PROFILE: '' }
    )
    expect(res.code).toBe(1)
    expect(res.errors.join('\n')).toContain(
      'No AWS credentials were found: add aws-actions/configure-aws-credentials'
    )
    expect(aws.proxy.requests).toEqual([])
  })
})
