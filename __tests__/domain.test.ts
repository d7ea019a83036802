/**
 * Custom domains against moto server: the domain name, its base path mapping and the Route 53
 * alias record, made, reconciled, moved and removed, and read back independently.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  APIGatewayClient,
  CreateBasePathMappingCommand,
  CreateDomainNameCommand,
  DeleteBasePathMappingCommand,
  DeleteRestApiCommand,
  GetBasePathMappingsCommand,
  GetDomainNamesCommand,
  type DomainName
} from '@aws-sdk/client-api-gateway'
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client
} from '@aws-sdk/client-route-53'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { runEngine } from '../src/engine/engine.js'
import { ActionError, InputError } from '../src/base/errors.js'
import { memoryLog } from '../src/report/log.js'
import { renderSummary } from '../src/report/summary.js'
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
const DOMAIN = 'api.example.com'

let lb: SeededLoadBalancer
let zoneId: string

beforeEach(async () => {
  await aws.moto.reset()
  lb = await createLoadBalancer(aws.moto.endpoint, { name: 'cortex-public', scheme: 'internet-facing' })
  const zone = await testClients(aws.moto.endpoint).route53.send(
    new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: `ref-${Date.now()}` })
  )
  zoneId = zone.HostedZone!.Id!.split('/').pop()!
  aws.proxy.clear()
})

function run(inputs: Record<string, string>, repository = 'octo/app', log = memoryLog()) {
  return runEngine({
    config: configFrom({ region: REGION, ...inputs }, { GITHUB_REPOSITORY: repository }),
    log,
    provenance: { repository, workflow: 'ci' }
  })
}

/** One run, as `who`: its requests carry `run-<who>` in their user agent (for the proxy to hold them). */
function runAs(who: string, inputs: Record<string, string>, log = memoryLog()) {
  const common = {
    endpoint: aws.proxy.endpoint,
    region: REGION,
    credentials,
    maxAttempts: 1,
    customUserAgent: [[`run-${who}`]] as [string][]
  }
  return runEngine({
    config: configFrom({ region: REGION, ...inputs }, { GITHUB_REPOSITORY: 'octo/app' }),
    log,
    provenance: { repository: 'octo/app', workflow: 'ci' },
    context: {
      apigw: new APIGatewayClient(common),
      elb: new ElasticLoadBalancingV2Client(common),
      route53: async () => ({
        client: new Route53Client(common),
        r53: await import('@aws-sdk/client-route-53')
      })
    }
  })
}
const by = (who: string) => (r: Recorded) => r.agent.includes(`run-${who}`)

const withDomain = (more: Record<string, string> = {}) => ({
  'load-balancer': lb.dnsName,
  'domain-name': DOMAIN,
  'certificate-arn': CERT,
  'base-path': 'v1',
  'hosted-zone-id': zoneId,
  ...more
})

/** A person points the domain's A record at a target of theirs, by hand. */
async function pointRecordAt(dnsName: string, hostedZoneId: string): Promise<void> {
  await testClients(aws.moto.endpoint).route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: zoneId,
      ChangeBatch: {
        Changes: [
          {
            Action: 'UPSERT',
            ResourceRecordSet: {
              Name: DOMAIN,
              Type: 'A',
              AliasTarget: { DNSName: dnsName, HostedZoneId: hostedZoneId, EvaluateTargetHealth: false }
            }
          }
        ]
      }
    })
  )
}

/** The domains, their mappings and the zone's records, read straight from moto. */
async function readDomains() {
  const { apigw, route53 } = testClients(aws.moto.endpoint)
  const domains: DomainName[] = (await apigw.send(new GetDomainNamesCommand({}))).items ?? []
  const mappings: Record<string, { basePath?: string; restApiId?: string; stage?: string }[]> = {}
  for (const d of domains) {
    // moto answers 500 for a domain that never had a mapping (AWS lists none)
    mappings[d.domainName!] =
      (await apigw.send(new GetBasePathMappingsCommand({ domainName: d.domainName })).catch(() => undefined))
        ?.items ?? []
  }
  const records = (
    (await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets ?? []
  ).filter(r => r.Type !== 'NS' && r.Type !== 'SOA')
  return { domains, mappings, records }
}

describe('custom domain', () => {
  it('makes the domain, maps the stage, writes the alias record; a re-run writes nothing', async () => {
    const made = await run(withDomain())
    expect(made.outcome).toBe('created')
    const apiId = made.outputs['api-id']!
    const { domains, mappings, records } = await readDomains()
    expect(domains).toHaveLength(1)
    const domain = domains[0]
    expect(domain).toMatchObject({
      domainName: DOMAIN,
      regionalCertificateArn: CERT,
      endpointConfiguration: { types: ['REGIONAL'] }
    })
    expect(domain.tags).toMatchObject({
      'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
      'cortex-rest-gateway:repository': 'octo/app'
    })
    expect(mappings[DOMAIN]).toEqual([{ basePath: 'v1', restApiId: apiId, stage: 'dev' }])
    const alias = records.find(r => r.Name === `${DOMAIN}.` && r.Type === 'A')
    expect(alias?.AliasTarget).toMatchObject({
      DNSName: domain.regionalDomainName,
      HostedZoneId: domain.regionalHostedZoneId
    })
    const mark = records.find(r => r.Name === `_cortex-rest-gateway.${DOMAIN}.`)
    expect(mark?.ResourceRecords).toEqual([
      { Value: '"heritage=cortex-rest-gateway,repository=octo/app,region=us-west-2"' }
    ])
    expect(made.outputs).toMatchObject({
      'domain-url': `https://${DOMAIN}/v1`,
      'domain-target': domain.regionalDomainName,
      'domain-hosted-zone-id': domain.regionalHostedZoneId
    })
    const gateway = await readGateway(aws.proxy.endpoint)
    expect(gateway.api.tags).toMatchObject({
      'cortex-rest-gateway:domain-name': DOMAIN,
      'cortex-rest-gateway:hosted-zone-id': zoneId
    })

    // the URL as itself (in the table, an HTML block, nothing in it is markup), and in the diagram
    const url = 'https://api.example.com/v1'
    const summary = renderSummary('cortex', made)
    expect(summary).toContain(
      `<tr><th align="left">Custom domain</th><td><a href="${url}">${url}</a></td></tr>`
    )
    expect(summary).toContain(`\n  domain["custom domain ${url}"]\n  caller --> domain\n`)
    aws.proxy.clear()
    const again = await run(withDomain())
    expect(again.outcome).toBe('unchanged')
    expect(aws.proxy.writes()).toEqual([])
    expect(again.outputs['domain-target']).toBe(domain.regionalDomainName)
  })

  it('moves the mapping to a new base path, then leaves the domain: mapping, record and domain go', async () => {
    const made = await run(withDomain())
    const apiId = made.outputs['api-id']!
    const moved = await run(withDomain({ 'base-path': '' }))
    expect(moved.outcome).toBe('updated')
    expect(moved.outputs['domain-url']).toBe(`https://${DOMAIN}/`)
    let state = await readDomains()
    expect(state.mappings[DOMAIN]).toEqual([{ basePath: '(none)', restApiId: apiId, stage: 'dev' }])

    // without the domain inputs the gateway is no longer served on it: all of it goes, the API stays
    const left = await run({ 'load-balancer': lb.dnsName })
    expect(left.outcome).toBe('updated')
    expect(left.outputs['domain-url']).toBe('')
    state = await readDomains()
    expect(state.domains).toEqual([])
    expect(state.records).toEqual([])
    const gateway = await readGateway(aws.proxy.endpoint)
    expect(gateway.api.id).toBe(apiId)
    expect(Object.keys(gateway.api.tags ?? {})).not.toContain('cortex-rest-gateway:domain-name')
    expect(Object.keys(gateway.api.tags ?? {})).not.toContain('cortex-rest-gateway:hosted-zone-id')
    aws.proxy.clear()
    expect((await run({ 'load-balancer': lb.dnsName })).outcome).toBe('unchanged')
    // without a domain, only the listing of domains (for one of this repository serving nothing, to sweep)
    expect(aws.proxy.requests.filter(r => r.operation.includes('domainnames')).map(r => r.operation)).toEqual(
      ['GET /domainnames']
    )
  })

  it('delete removes the mapping, the record and the domain, then the API, without the domain inputs', async () => {
    await run(withDomain())
    // a dry run lists the domain its plan removes, and its summary says it would
    const plan = await run({ mode: 'delete', 'dry-run': 'true' })
    expect(plan.domains).toEqual([DOMAIN])
    expect(renderSummary('cortex', plan)).toContain(
      `<tr><th align="left">Would delete custom domain</th><td><code>${DOMAIN}</code></td></tr>`
    )
    const gone = await run({ mode: 'delete' })
    expect(gone.outcome).toBe('deleted')
    expect(gone.domains).toEqual([DOMAIN])
    const state = await readDomains()
    expect(state.domains).toEqual([])
    expect(state.records).toEqual([])
    expect((await readGateway(aws.proxy.endpoint)).apis).toEqual([])
  })

  it('keeps a domain two gateways share until the last one goes', async () => {
    await run(withDomain({ 'api-name': 'a' }))
    await run(withDomain({ 'api-name': 'b', 'base-path': 'v2' }))
    let state = await readDomains()
    expect(state.mappings[DOMAIN].map(m => m.basePath).sort()).toEqual(['v1', 'v2'])

    const first = await run({ mode: 'delete', 'api-name': 'a' })
    expect(first.outcome).toBe('deleted')
    // the domain stays, serving b: not listed as deleted
    expect(first.domains).toEqual([])
    state = await readDomains()
    expect(state.mappings[DOMAIN].map(m => m.basePath)).toEqual(['v2'])
    expect(state.records.filter(r => r.Type === 'A')).toHaveLength(1)

    await run({ mode: 'delete', 'api-name': 'b' })
    state = await readDomains()
    expect(state.domains).toEqual([])
    expect(state.records).toEqual([])
  })

  it('refuses a domain it did not make, before any write', async () => {
    await testClients(aws.moto.endpoint).apigw.send(
      new CreateDomainNameCommand({
        domainName: DOMAIN,
        regionalCertificateArn: CERT,
        endpointConfiguration: { types: ['REGIONAL'] }
      })
    )
    aws.proxy.clear()
    await expect(run(withDomain())).rejects.toThrow(
      new ActionError(
        `Custom domain ${DOMAIN} already exists, not made by this action: the action maps gateways only ` +
          'onto domains this repository made, and never changes another. ' +
          "Choose another 'domain-name', or map the gateway onto it yourself"
      )
    )
    expect(aws.proxy.writes()).toEqual([])
  })

  it("refuses another repository's domain too", async () => {
    await run(withDomain(), 'octo/other')
    aws.proxy.clear()
    await expect(run(withDomain({ 'api-name': 'mine' }))).rejects.toThrow(
      'made by this action from repository octo/other'
    )
    expect(aws.proxy.writes()).toEqual([])
  })

  it('never overwrites a record it did not write: fails saying what it points at', async () => {
    await testClients(aws.moto.endpoint).route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            {
              Action: 'CREATE',
              ResourceRecordSet: {
                Name: DOMAIN,
                Type: 'CNAME',
                TTL: 60,
                ResourceRecords: [{ Value: 'old-api.example.net' }]
              }
            }
          ]
        }
      })
    )
    aws.proxy.clear()
    await expect(run(withDomain())).rejects.toThrow(
      `Hosted zone ${zoneId} already has a record for ${DOMAIN} that points elsewhere: CNAME old-api.example.net`
    )
    expect(aws.proxy.writes()).toEqual([])
  })

  it('refuses a base path another API is mapped to, and a zone the domain is not in', async () => {
    await run(withDomain({ 'api-name': 'a' }))
    aws.proxy.clear()
    await expect(run(withDomain({ 'api-name': 'b' }))).rejects.toThrow(
      new RegExp(
        "^Base path 'v1' of custom domain api\\.example\\.com already serves REST API \\w+ " +
          "\\(stage dev\\): choose another 'base-path'$"
      )
    )
    const other = await testClients(aws.moto.endpoint).route53.send(
      new CreateHostedZoneCommand({ Name: 'example.org', CallerReference: `org-${Date.now()}` })
    )
    const orgZone = other.HostedZone!.Id!.split('/').pop()!
    const wrongZone = run(withDomain({ 'api-name': 'c', 'base-path': 'v3', 'hosted-zone-id': orgZone }))
    await expect(wrongZone).rejects.toThrow(InputError)
    await expect(wrongZone).rejects.toThrow(`${orgZone} is the hosted zone of example.org`)
    expect(aws.proxy.writes()).toEqual([])
  })

  it('plans a domain in a dry run without writing, its target still unknown', async () => {
    const planned = await run(withDomain({ 'dry-run': 'true' }))
    expect(planned.outcome).toBe('would-create')
    expect(planned.steps).toEqual(
      expect.arrayContaining([
        `create REGIONAL custom domain ${DOMAIN} with certificate ${CERT}`,
        `map base path 'v1' of ${DOMAIN} to stage "dev"`,
        `point ${DOMAIN} at the domain's target in hosted zone ${zoneId} (alias A record)`
      ])
    )
    expect(planned.outputs).toMatchObject({ 'domain-url': `https://${DOMAIN}/v1`, 'domain-target': '' })
    expect(aws.proxy.writes()).toEqual([])
  })

  it('with delete-on-exit, takes along the domain once its API was the last mapped onto it', async () => {
    const made = await run(withDomain())
    const gone = await runEngine({
      config: {
        ...configFrom({ region: REGION, mode: 'delete' }, { GITHUB_REPOSITORY: 'octo/app' }),
        mode: 'delete',
        only: { apiIds: [made.outputs['api-id']!], vpcLinkIds: [] }
      },
      log: memoryLog()
    })
    expect(gone.outcome).toBe('deleted')
    const state = await readDomains()
    expect(state.domains).toEqual([])
    expect(state.records).toEqual([])
  })
})

describe('issue 20: what is ours on a domain, its mappings and its record', () => {
  const hand = () => testClients(aws.proxy.endpoint)
  const OTHER_REPOSITORY = {
    'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
    'cortex-rest-gateway:repository': 'octo/other'
  }

  it.each([
    ['both look before either unmaps', 'looked'],
    ["one unmaps only once the other's run is over", 'done']
  ])(
    '1. two gateways leaving one shared domain at once (%s): the last one out takes the domain and its records',
    async (_how, order) => {
      await run(withDomain({ 'api-name': 'x' }))
      await run(withDomain({ 'api-name': 'y', 'base-path': 'v2' }))
      const looked = (who: string) =>
        aws.proxy.answered(r => by(who)(r) && r.operation === 'GET /domainnames/{id}/basepathmappings')
      const [xLooked, yLooked] = [looked('X'), looked('Y')]
      let xRun: Promise<unknown> = Promise.resolve()
      aws.proxy.options.fault = r => {
        if (r.operation !== 'DELETE /domainnames/{id}/basepathmappings/{id}') return undefined
        if (by('X')(r) && order === 'looked') return { kind: 'hold', until: yLooked }
        if (by('Y')(r)) return { kind: 'hold', until: order === 'looked' ? xLooked : xRun }
        return undefined
      }
      xRun = runAs('X', { mode: 'delete', 'api-name': 'x' })
      const [x, y] = await Promise.all([xRun, runAs('Y', { mode: 'delete', 'api-name': 'y' })])
      aws.proxy.options.fault = undefined
      expect([(x as { outcome: string }).outcome, y.outcome]).toEqual(['deleted', 'deleted'])
      const state = await readDomains()
      expect(state.domains).toEqual([])
      expect(state.records).toEqual([])
      expect((await readGateway(aws.proxy.endpoint, 'y')).apis).toEqual([])
    },
    60_000
  )

  it('1. a gateway without hosted-zone-id, last to leave a shared domain, takes the record another wrote', async () => {
    await run(withDomain({ 'api-name': 'y', 'base-path': 'v2' }))
    const { 'hosted-zone-id': _zone, ...noZone } = withDomain({ 'api-name': 'x' })
    await run(noZone)
    expect((await run({ mode: 'delete', 'api-name': 'y' })).outcome).toBe('deleted')
    let state = await readDomains()
    expect(state.records.filter(r => r.Type === 'A')).toHaveLength(1)
    expect((await run({ mode: 'delete', 'api-name': 'x' })).outcome).toBe('deleted')
    state = await readDomains()
    expect(state.domains).toEqual([])
    // the alias record (to a domain that is gone) and its mark: ours, left for good
    expect(state.records).toEqual([])
  })

  it('1. a domain a gateway without hosted-zone-id made: the record another wrote goes with the last', async () => {
    const { 'hosted-zone-id': _zone, ...noZone } = withDomain({ 'api-name': 'x' })
    await run(noZone)
    // y writes the record: the domain, made without a zone, learns the zone it is in
    await run(withDomain({ 'api-name': 'y', 'base-path': 'v2' }))
    expect((await run({ mode: 'delete', 'api-name': 'y' })).outcome).toBe('deleted')
    expect((await readDomains()).records.filter(r => r.Type === 'A')).toHaveLength(1)
    expect((await run({ mode: 'delete', 'api-name': 'x' })).outcome).toBe('deleted')
    const state = await readDomains()
    expect(state.domains).toEqual([])
    expect(state.records).toEqual([])
  })

  it('1. a create that maps onto a domain while a sweep takes it keeps the record it relies on', async () => {
    const w = await run(withDomain({ 'api-name': 'w' }))
    for (const name of ['z', 'q']) await run({ 'load-balancer': lb.dnsName, 'api-name': name })
    // w is gone by hand: its domain and record serve nothing
    await hand().apigw.send(new DeleteBasePathMappingCommand({ domainName: DOMAIN, basePath: 'v1' }))
    await hand().apigw.send(new DeleteRestApiCommand({ restApiId: w.outputs['api-id'] }))
    const mapped = aws.proxy.answered(
      r => by('C')(r) && r.operation === 'POST /domainnames/{id}/basepathmappings'
    )
    // S (a run of another gateway) sweeps the domain: having read again that nothing maps or claims it,
    // it removes the record, and that change waits for C, which moves z onto the domain meanwhile
    const removal = (r: Recorded) => by('S')(r) && r.service === 'route53' && r.method === 'POST'
    aws.proxy.options.fault = r => (removal(r) ? { kind: 'hold', until: mapped } : undefined)
    const sRun = runAs('S', { 'load-balancer': lb.dnsName, 'api-name': 'q' })
    while (!aws.proxy.requests.some(removal)) await new Promise(resolve => setTimeout(resolve, 20))
    const c = await runAs('C', withDomain({ 'api-name': 'z' }))
    const s = await sRun
    aws.proxy.options.fault = undefined
    expect([c.outcome, s.outcome]).toEqual(['updated', 'updated'])
    const state = await readDomains()
    expect(state.mappings[DOMAIN]).toEqual([{ basePath: 'v1', restApiId: c.outputs['api-id'], stage: 'dev' }])
    // z is served on the domain: its alias record and mark are there
    expect(state.records.map(r => r.Type).sort()).toEqual(['A', 'TXT'])
  }, 60_000)

  it('the proxy refuses, as AWS does, a Route 53 DELETE of a record that is gone or differs', async () => {
    await run(withDomain())
    const change = (value: string) =>
      hand().route53.send(
        new ChangeResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          ChangeBatch: {
            Changes: [
              {
                Action: 'DELETE',
                ResourceRecordSet: {
                  Name: `_cortex-rest-gateway.${DOMAIN}`,
                  Type: 'TXT',
                  TTL: 300,
                  ResourceRecords: [{ Value: value }]
                }
              }
            ]
          }
        })
      )
    await expect(change('"something else"')).rejects.toThrow('but it was not found')
    const mark = '"heritage=cortex-rest-gateway,repository=octo/app,region=us-west-2"'
    await change(mark)
    await expect(change(mark)).rejects.toThrow(
      `Tried to delete resource record set [name='_cortex-rest-gateway.${DOMAIN}.', type='TXT'] but it was not found`
    )
  })

  it.each([['delete'], ['create']])(
    '1. a later %s of another gateway sweeps a domain of ours that serves nothing, never one not ours',
    async mode => {
      const x = await run(withDomain({ 'api-name': 'x' }))
      await run({ 'load-balancer': lb.dnsName, 'api-name': 'y' })
      // x's mapping and API are gone (two deletes of old, say): its domain and record serve nothing
      await hand().apigw.send(new DeleteBasePathMappingCommand({ domainName: DOMAIN, basePath: 'v1' }))
      await hand().apigw.send(new DeleteRestApiCommand({ restApiId: x.outputs['api-id'] }))
      // a domain made by hand and one of another repository, serving nothing either
      for (const [name, tags] of [
        ['hand.example.com', undefined],
        ['other.example.com', OTHER_REPOSITORY]
      ] as const) {
        await hand().apigw.send(
          new CreateDomainNameCommand({
            domainName: name,
            regionalCertificateArn: CERT,
            endpointConfiguration: { types: ['REGIONAL'] },
            tags
          })
        )
      }
      if (mode === 'delete') {
        // the post step of delete-on-exit takes only what its step made: no sweep
        const post = await runEngine({
          config: {
            ...configFrom(
              { region: REGION, mode: 'delete', 'api-name': 'y' },
              { GITHUB_REPOSITORY: 'octo/app' }
            ),
            mode: 'delete',
            only: { apiIds: [], vpcLinkIds: [] }
          },
          log: memoryLog()
        })
        expect(post.steps).toEqual([])
        expect((await readDomains()).domains.map(d => d.domainName)).toContain(DOMAIN)
      }
      const log = memoryLog()
      const res = await run(
        mode === 'delete'
          ? { mode: 'delete', 'api-name': 'y' }
          : { 'load-balancer': lb.dnsName, 'api-name': 'y' },
        'octo/app',
        log
      )
      expect(res.outcome).toBe(mode === 'delete' ? 'deleted' : 'updated')
      const state = await readDomains()
      expect(state.domains.map(d => d.domainName).sort()).toEqual(['hand.example.com', 'other.example.com'])
      expect(state.records).toEqual([])
      expect(res.steps).toEqual(expect.arrayContaining([`delete custom domain ${DOMAIN}`]))
    },
    60_000
  )

  it('3. a create whose API a racing delete removed before its mapping re-plans: no domain is left', async () => {
    // C makes the API, deploys, and is about to make the domain; D deletes the API meanwhile
    let dRun: ReturnType<typeof runAs> | undefined
    aws.proxy.options.fault = r => {
      if (!by('C')(r) || r.operation !== 'POST /domainnames') return undefined
      dRun ??= runAs('D', { mode: 'delete' })
      return { kind: 'hold', until: dRun }
    }
    const c = await runAs('C', withDomain())
    aws.proxy.options.fault = undefined
    expect((await dRun)?.outcome).toBe('deleted')
    expect(c.outcome).toBe('created')
    const apiId = c.outputs['api-id']
    expect((await readGateway(aws.proxy.endpoint)).apis.map(a => a.id)).toEqual([apiId])
    const state = await readDomains()
    expect(state.domains.map(d => d.domainName)).toEqual([DOMAIN])
    expect(state.mappings[DOMAIN]).toEqual([{ basePath: 'v1', restApiId: apiId, stage: 'dev' }])
    expect(state.records.find(r => r.Type === 'A')?.AliasTarget?.DNSName).toBe(
      state.domains[0].regionalDomainName
    )
  }, 60_000)

  it('5. a record a person pointed elsewhere: a create refuses it, a delete keeps it and says so', async () => {
    await run(withDomain())
    const theirs = 'their-lb-1234.us-west-2.elb.amazonaws.com'
    await pointRecordAt(theirs, 'Z1H1FL5HABSF5')
    aws.proxy.clear()
    await expect(run(withDomain())).rejects.toThrow(
      `Hosted zone ${zoneId} already has a record for ${DOMAIN} that points elsewhere: ` +
        `A alias to ${theirs} (hosted zone Z1H1FL5HABSF5)`
    )
    expect(aws.proxy.writes()).toEqual([])

    const log = memoryLog()
    const gone = await run({ mode: 'delete' }, 'octo/app', log)
    expect(gone.outcome).toBe('deleted')
    const state = await readDomains()
    expect(state.domains).toEqual([])
    // the person's record stays; the mark, which marks nothing of ours any more, goes
    expect(state.records.map(r => [r.Name, r.Type, r.AliasTarget?.DNSName?.replace(/\.$/, '')])).toEqual([
      [`${DOMAIN}.`, 'A', theirs]
    ])
    expect(log.lines).toContainEqual(
      expect.stringMatching(
        new RegExp(`^warning: The A record for ${DOMAIN.replace(/\./g, '\\.')} .*${theirs}.*left`)
      )
    )
  }, 60_000)

  it("5. a record a person pointed at another account's regional domain: neither overwritten nor deleted", async () => {
    await run(withDomain())
    // a move to another account's custom domain of the name, in this region (a blue/green between accounts)
    const theirs = 'd-0ther0acct.execute-api.us-west-2.amazonaws.com'
    await pointRecordAt(theirs, 'Z2OJLYMUO9EFXC')
    aws.proxy.clear()
    await expect(run(withDomain())).rejects.toThrow(
      `Hosted zone ${zoneId} already has a record for ${DOMAIN} that points elsewhere: A alias to ${theirs}`
    )
    expect(aws.proxy.writes()).toEqual([])
    expect((await run({ mode: 'delete' })).outcome).toBe('deleted')
    const state = await readDomains()
    expect(state.domains).toEqual([])
    expect(state.records.map(r => [r.Name, r.Type, r.AliasTarget?.DNSName?.replace(/\.$/, '')])).toEqual([
      [`${DOMAIN}.`, 'A', theirs]
    ])
  }, 60_000)

  it('6. a re-run leaves a base path a person mapped to its stage; a move takes only its own', async () => {
    const made = await run(withDomain())
    const apiId = made.outputs['api-id']
    await hand().apigw.send(
      new CreateBasePathMappingCommand({
        domainName: DOMAIN,
        basePath: 'latest',
        restApiId: apiId,
        stage: 'dev'
      })
    )
    aws.proxy.clear()
    const again = await run(withDomain())
    expect(again.outcome).toBe('unchanged')
    expect(aws.proxy.writes()).toEqual([])

    const moved = await run(withDomain({ 'base-path': 'v2' }))
    expect(moved.steps.filter(s => s.includes('base path'))).toEqual([
      `map base path 'v2' of ${DOMAIN} to stage "dev"`,
      `remove base path 'v1' of ${DOMAIN} (REST API ${apiId})`
    ])
    let state = await readDomains()
    expect(state.mappings[DOMAIN].map(m => m.basePath).sort()).toEqual(['latest', 'v2'])

    // leaving the domain takes only the action's mapping: the person's keeps the domain (and the API)
    const log = memoryLog()
    const left = await run({ 'load-balancer': lb.dnsName }, 'octo/app', log)
    expect(log.lines).toContainEqual(
      `warning: Base path 'latest' of custom domain ${DOMAIN} maps REST API ${apiId}, but the action did not ` +
        'make it: it is left, and keeps the domain (remove it before the gateway goes)'
    )
    expect(left.steps.filter(s => s.includes('base path'))).toEqual([
      `remove base path 'v2' of ${DOMAIN} (REST API ${apiId})`
    ])
    state = await readDomains()
    expect(state.mappings[DOMAIN]).toEqual([{ basePath: 'latest', restApiId: apiId, stage: 'dev' }])
  }, 60_000)
})
