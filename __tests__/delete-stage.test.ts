/**
 * `mode: delete` with `stage`: that stage only (its usage plan and the action's keys on it, its base path
 * mapping, its web ACL association), and the API only with its last stage; without `stage`, the whole
 * gateway. Read back independently; a delete stopped after any write converges on a re-run.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  GetApiKeysCommand,
  GetDomainNamesCommand,
  GetUsagePlansCommand,
  GetVpcLinksCommand
} from '@aws-sdk/client-api-gateway'
import { CreateHostedZoneCommand } from '@aws-sdk/client-route-53'
import { CreateWebACLCommand, WAFV2Client } from '@aws-sdk/client-wafv2'
import { runEngine } from '../src/engine/engine.js'
import { memoryLog } from '../src/report/log.js'
import {
  createLoadBalancer,
  credentials,
  REGION,
  testClients,
  type SeededLoadBalancer
} from './support/aws.js'
import { readGateway } from './support/gateway.js'
import { motoBehindProxy } from './support/harness.js'
import { configFrom } from './support/inputs.js'
import type { Recorded } from './support/proxy.js'

const aws = motoBehindProxy({ env: true })
const CERT = `arn:aws:acm:${REGION}:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666`

let lb: SeededLoadBalancer
let zoneId: string
let aclArn: string

beforeEach(async () => {
  await aws.moto.reset()
  lb = await createLoadBalancer(aws.moto.endpoint, { name: 'cortex-internal', scheme: 'internal' })
  const zone = await testClients(aws.moto.endpoint).route53.send(
    new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: `ref-${Date.now()}` })
  )
  zoneId = zone.HostedZone!.Id!.split('/').pop()!
  const acl = await waf().send(
    new CreateWebACLCommand({
      Name: 'models',
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: 'm' }
    })
  )
  aclArn = acl.Summary!.ARN!
  aws.proxy.clear()
})

const waf = () =>
  new WAFV2Client({ endpoint: aws.moto.endpoint, region: REGION, credentials, maxAttempts: 1 })

function run(inputs: Record<string, string>, log = memoryLog()) {
  return runEngine({
    config: configFrom({ region: REGION, ...inputs }, { GITHUB_REPOSITORY: 'octo/app' }),
    log,
    provenance: { repository: 'octo/app', workflow: 'ci' },
    context: { sleep: () => Promise.resolve() }
  })
}

/** dev with a key; prod with a key, the custom domain and a web ACL. */
async function twoStages(): Promise<string> {
  const made = await run({ 'load-balancer': lb.dnsName, 'api-keys': 'team-dev' })
  await run({
    'load-balancer': lb.dnsName,
    stage: 'prod',
    'api-keys': 'team-prod',
    'domain-name': 'api.example.com',
    'certificate-arn': CERT,
    'base-path': 'v1',
    'hosted-zone-id': zoneId,
    'web-acl-arn': aclArn
  })
  aws.proxy.clear()
  return made.outputs['api-id']!
}

/** What is left of the gateway, read straight from moto (and the stage's web ACL through WAF). */
async function leftOf(apiId: string) {
  const { apigw } = testClients(aws.proxy.endpoint)
  const gateway = await readGateway(aws.proxy.endpoint)
  const plans = (await apigw.send(new GetUsagePlansCommand({}))).items ?? []
  const keys = (await apigw.send(new GetApiKeysCommand({}))).items ?? []
  const domains = (await apigw.send(new GetDomainNamesCommand({}))).items ?? []
  const links = (await apigw.send(new GetVpcLinksCommand({}))).items ?? []
  return {
    apis: gateway.apis.map(a => a.id),
    stages: gateway.stages.map(s => s.stageName).sort(),
    plans: plans.map(p => (p.apiStages ?? []).map(s => `${s.apiId}:${s.stage}`).join(',')).sort(),
    keys: keys.map(k => k.name).sort(),
    domains: domains.map(d => d.domainName),
    links: links.length,
    apiTags: Object.keys(gateway.api?.tags ?? {}).filter(
      k => k.includes('domain') || k.includes('base-path')
    ),
    apiId
  }
}

describe('delete with stage', () => {
  it('removes that stage only, with what the action set on it; the API keeps its other stage', async () => {
    const apiId = await twoStages()
    const log = memoryLog()
    const done = await run({ mode: 'delete', stage: 'prod' }, log)
    expect(done.outcome).toBe('deleted')
    expect(done.outputs).toMatchObject({ stage: 'prod', 'api-id': '', 'vpc-link-id': '' })
    expect(await leftOf(apiId)).toEqual({
      apis: [apiId],
      stages: ['dev'],
      plans: [`${apiId}:dev`],
      keys: ['team-dev'],
      domains: [],
      links: 1,
      apiTags: [],
      apiId
    })
    expect(aws.proxy.requests.filter(r => r.service === 'wafv2').map(r => r.operation)).toEqual([
      'DisassociateWebACL'
    ])
    expect(log.lines.join('\n')).toContain(
      `Deleting stage prod of REST API ${apiId} only: the API stays, with stage(s) dev`
    )
    // a re-run finds nothing of it and writes nothing
    aws.proxy.clear()
    const again = await run({ mode: 'delete', stage: 'prod' })
    expect(again.outcome).toBe('absent')
    expect(aws.proxy.writes()).toEqual([])
  })

  it('takes the API (and its VPC link) with its last stage', async () => {
    const apiId = await twoStages()
    await run({ mode: 'delete', stage: 'prod' })
    const done = await run({ mode: 'delete', stage: 'dev' })
    expect(done.outcome).toBe('deleted')
    expect(done.outputs).toMatchObject({ stage: 'dev', 'api-id': apiId })
    expect(done.outputs['vpc-link-id']).toMatch(/\w/)
    expect(await leftOf(apiId)).toMatchObject({ apis: [], plans: [], keys: [], domains: [], links: 0 })
  })

  it('says in a dry run which it will do, and does nothing', async () => {
    const apiId = await twoStages()
    const log = memoryLog()
    const dry = await run({ mode: 'delete', stage: 'prod', 'dry-run': 'true' }, log)
    expect(dry.outcome).toBe('would-delete')
    expect(dry.outputs).toMatchObject({ stage: 'prod', 'api-id': '' })
    expect(log.lines.join('\n')).toContain(
      'Would delete stage prod only: an API of the gateway goes only with its last stage'
    )
    const whole = memoryLog()
    const all = await run({ mode: 'delete', 'dry-run': 'true' }, whole)
    expect(all.outputs).toMatchObject({ stage: 'dev\nprod', 'api-id': apiId })
    expect(whole.lines.join('\n')).toContain(
      "Would delete the whole gateway: every stage of it (give 'stage' to delete one stage)"
    )
    expect(aws.proxy.writes()).toEqual([])
  })

  it('without stage, deletes the whole gateway, every stage', async () => {
    const apiId = await twoStages()
    const done = await run({ mode: 'delete' })
    expect(done.outputs).toMatchObject({ stage: 'dev\nprod', 'api-id': apiId })
    expect(await leftOf(apiId)).toMatchObject({ apis: [], plans: [], keys: [], domains: [], links: 0 })
  })

  // a clean one-stage delete of prod: the key off its plan, the plan off its stage, the plan, the key; the
  // mapping, the alias record and its owner mark (one change), the domain; the API's domain tags; the web
  // ACL; the stage, last
  const CLEAN_WRITES = [
    'DELETE /usageplans/{id}/keys/{id}',
    'PATCH /usageplans/{id}',
    'DELETE /usageplans/{id}',
    'DELETE /apikeys/{id}',
    'DELETE /domainnames/{id}/basepathmappings/{id}',
    'POST /2013-04-01/hostedzone/{id}/rrset',
    'DELETE /domainnames/{id}',
    'DELETE /tags/{arn}',
    'DisassociateWebACL',
    'DELETE /restapis/{id}/stages/{id}'
  ]
  const WRITES = CLEAN_WRITES.length

  it('makes the writes the stops below cover', async () => {
    await twoStages()
    await run({ mode: 'delete', stage: 'prod' })
    expect(
      aws.proxy
        .writes()
        .map(w =>
          w.operation
            .replace(/\/(usageplans|apikeys|keys)\/\w+/g, '/$1/{id}')
            .replace(/\/tags\/.*/, '/tags/{arn}')
        )
    ).toEqual(CLEAN_WRITES)
  })

  it.each(Array.from({ length: WRITES }, (_, i) => i + 1))(
    'stopped after its write %i: the next delete converges',
    async k => {
      const id = await twoStages()
      let stoppedAt: Recorded | undefined
      aws.proxy.options.fault = (rec, c) => {
        if (!rec.write || c.writeIndex !== k) return undefined
        stoppedAt = rec
        return { kind: 'apply-then-status', status: 400, code: 'BadRequestException', message: 'stops here' }
      }
      await expect(run({ mode: 'delete', stage: 'prod' })).rejects.toThrow(/ failed/)
      aws.proxy.options.fault = undefined
      try {
        await run({ mode: 'delete', stage: 'prod' })
        expect(await leftOf(id)).toEqual({
          apis: [id],
          stages: ['dev'],
          plans: [`${id}:dev`],
          keys: ['team-dev'],
          domains: [],
          links: 1,
          apiTags: [],
          apiId: id
        })
      } catch (error) {
        throw new Error(`after write ${k} (${stoppedAt?.operation}): ${String(error)}`, { cause: error })
      }
    }
  )
})

describe('stage input', () => {
  it('is given to a delete only when set; a create still deploys dev without it', () => {
    expect(configFrom({ region: REGION, mode: 'delete' }).stage).toBeUndefined()
    expect(configFrom({ region: REGION, mode: 'delete', stage: 'prod' }).stage).toBe('prod')
    expect(configFrom({ region: REGION, 'load-balancer': 'a-1.elb.us-west-2.amazonaws.com' }).stage).toBe(
      'dev'
    )
    expect(() => configFrom({ region: REGION, mode: 'delete', stage: 'no/slash' })).toThrow(
      /^Input 'stage': "no\/slash" is not a valid stage name/
    )
  })
})
