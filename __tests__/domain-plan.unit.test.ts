/**
 * The custom domain planner, case by case: what AWS holds (the domain, its mappings, the records in Route 53)
 * written out as the run reads it, and the steps, warnings and notes written out by hand.
 */
import { describe, expect, it } from '@jest/globals'
import { ActionError, InputError } from '../src/base/errors.js'
import type { CreateConfig, DomainConfig } from '../src/config/inputs.js'
import type { CreateDiscovery } from '../src/core/plan.js'
import { planDomainFeature } from '../src/features/domain/plan-feature.js'
import type {
  BasePathMapping,
  CustomDomain,
  DnsRecord,
  DnsView,
  DomainDiscovery,
  DomainView,
  RestApiSummary
} from '../src/model/model.js'
import { leaveDomain, planDomain, sweepDomains } from '../src/features/domain/plan.js'
import { aliasRecord, isActionAlias } from '../src/features/domain/plan-records.js'
import { configFrom } from './support/inputs.js'

const OWNER = 'octo/app'
const REGION = 'us-west-2'
const OURS = {
  'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
  'cortex-rest-gateway:repository': 'octo/app'
}
const TAG = {
  domain: 'cortex-rest-gateway:domain-name',
  zone: 'cortex-rest-gateway:hosted-zone-id',
  path: 'cortex-rest-gateway:base-path'
}
const CERT = 'arn:aws:acm:us-west-2:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666'
const CERT2 = 'arn:aws:acm:us-west-2:123456789012:certificate/aaaa0d0c-1111-2222-3333-444455556666'
const NAME = 'api.example.com'
const OLD = 'old.example.com'
const TARGET = 'd-abc.execute-api.us-west-2.amazonaws.com'
const TARGET_ZONE = 'Z2OJLYMUO9EFXC'
/** The mark as the action writes it for this repository and region. */
const MARK = (name: string, region = REGION): DnsRecord => ({
  name: `_cortex-rest-gateway.${name}`,
  type: 'TXT',
  ttl: 300,
  values: [`"heritage=cortex-rest-gateway,repository=octo/app,region=${region}"`]
})
const alias = (name: string, dnsName = TARGET, zoneId = TARGET_ZONE): DnsRecord => ({
  name,
  type: 'A',
  values: [],
  alias: { dnsName, zoneId, evaluateTargetHealth: false }
})

/** A domain as GetDomainName (and its tags) answer, ours with the zone of its record unless told. */
const domain = (name: string, more: Partial<CustomDomain> = {}): CustomDomain => ({
  name,
  endpointType: 'REGIONAL',
  certificateArn: CERT,
  target: TARGET,
  targetZoneId: TARGET_ZONE,
  securityPolicy: 'TLS_1_2',
  tags: { ...OURS, [TAG.zone]: 'ZONE' },
  ...more
})
const dns = (
  zoneId: string,
  name: string,
  records: DnsRecord[],
  marker?: DnsRecord,
  zoneName = 'example.com'
) => ({ zoneId, zoneName, name, records, marker }) satisfies DnsView

function discovery(views: DomainView[], records: DnsView[] = [], idle?: string[]): DomainDiscovery {
  return {
    domains: new Map(views.map(v => [v.name, v])),
    dns: new Map(records.map(r => [`${r.zoneId}/${r.name}`, r])),
    ...(idle ? { idle } : {})
  }
}

const want = (more: Partial<DomainConfig> = {}): DomainConfig => ({
  name: NAME,
  certificateArn: CERT,
  basePath: 'v1',
  hostedZoneId: 'ZONE',
  securityPolicy: 'TLS_1_2',
  ...more
})

function create(
  found: DomainDiscovery,
  wanted: DomainConfig | undefined,
  apiTags: Record<string, string>,
  more: { apiIds?: string[]; twinIds?: string[]; endpointType?: 'REGIONAL' | 'EDGE' } = {}
) {
  return planDomain({
    owner: OWNER,
    region: REGION,
    found,
    apiIds: more.apiIds ?? ['api1'],
    twinIds: more.twinIds,
    want: wanted,
    endpointType: more.endpointType ?? 'REGIONAL',
    stage: 'dev',
    apiTags,
    tags: { ...OURS, 'cortex-rest-gateway:api-name': 'web' }
  })
}
const servedAt = (path: string, zone = 'ZONE') => ({ [TAG.domain]: NAME, [TAG.zone]: zone, [TAG.path]: path })
const ourRecord = dns('ZONE', NAME, [alias(NAME)], MARK(NAME))
const mapped = (...m: BasePathMapping[]): DomainView => ({ name: NAME, domain: domain(NAME), mappings: m })
const caught = (f: () => unknown): Error => {
  try {
    f()
  } catch (e) {
    return e as Error
  }
  throw new Error('did not throw')
}

describe('a gateway without a domain', () => {
  it('plans nothing, tags nothing, reports no target', () => {
    expect(create(discovery([]), undefined, {})).toEqual({
      steps: [],
      warnings: [],
      notes: [],
      apiTags: {}
    })
  })

  it('leaves the domain it was served on: its own mapping, the record, the domain (read again), the tags', () => {
    const found = discovery(
      [
        mapped(
          { basePath: 'v1', restApiId: 'api1', stage: 'dev' },
          { basePath: 'latest', restApiId: 'api1', stage: 'dev' },
          { basePath: 'x', restApiId: 'other', stage: 'prod' },
          { basePath: 'y', restApiId: 'other', stage: 'prod' }
        )
      ],
      [ourRecord]
    )
    expect(create(found, undefined, servedAt('v1'))).toEqual({
      steps: [
        { op: 'unmap-base-path', name: NAME, basePath: 'v1', restApiId: 'api1' },
        {
          op: 'delete-dns-record',
          zoneId: 'ZONE',
          name: NAME,
          records: [MARK(NAME), alias(NAME)],
          withDomain: NAME,
          ifLast: true
        },
        { op: 'delete-domain', name: NAME, ifLast: true },
        { op: 'untag-api', keys: [TAG.domain, TAG.path, TAG.zone] }
      ],
      warnings: [
        `Base path 'latest' of custom domain ${NAME} maps REST API api1, but the action did not make it: ` +
          'it is left, and keeps the domain (remove it before the gateway goes)'
      ],
      notes: [
        `Custom domain ${NAME} also serves REST API api1, other: it stays unless nothing is mapped onto it ` +
          'once this gateway has left (read again then)'
      ],
      apiTags: {}
    })
  })

  it('as the last one out, takes the record and the domain without waiting on a re-read', () => {
    const found = discovery([mapped({ basePath: '', restApiId: 'api1', stage: 'dev' })], [ourRecord])
    const p = create(found, undefined, { [TAG.domain]: NAME, [TAG.path]: '/' })
    expect(p.steps).toEqual([
      { op: 'unmap-base-path', name: NAME, basePath: '', restApiId: 'api1' },
      // the zone recorded on the domain: the API recorded none
      {
        op: 'delete-dns-record',
        zoneId: 'ZONE',
        name: NAME,
        records: [MARK(NAME), alias(NAME)],
        withDomain: NAME
      },
      { op: 'delete-domain', name: NAME },
      { op: 'untag-api', keys: [TAG.domain, TAG.path] }
    ])
    expect(p.notes).toEqual([])
    expect(p.warnings).toEqual([])
  })

  it('untags a zone recorded alone, and nothing else', () => {
    expect(create(discovery([]), undefined, { [TAG.zone]: 'ZONE' }).steps).toEqual([
      { op: 'untag-api', keys: [TAG.zone] }
    ])
  })
})

describe('moving between domains and zones', () => {
  it('moves to another domain: the old mapping, record and domain go; the new domain is made and mapped', () => {
    const found = discovery(
      [
        {
          name: OLD,
          domain: domain(OLD),
          mappings: [{ basePath: 'v1', restApiId: 'api1', stage: 'dev' }]
        }
      ],
      [dns('ZONE', OLD, [alias(OLD)], MARK(OLD))]
    )
    const p = create(found, want({ hostedZoneId: undefined }), {
      [TAG.domain]: OLD,
      [TAG.zone]: 'ZONE',
      [TAG.path]: 'v1'
    })
    expect(p).toEqual({
      steps: [
        { op: 'unmap-base-path', name: OLD, basePath: 'v1', restApiId: 'api1' },
        {
          op: 'delete-dns-record',
          zoneId: 'ZONE',
          name: OLD,
          records: [MARK(OLD), alias(OLD)],
          withDomain: OLD
        },
        { op: 'delete-domain', name: OLD },
        // the new domain has no zone: the old one's tag goes
        { op: 'untag-api', keys: [TAG.zone] },
        { op: 'tag-api', tags: { [TAG.domain]: NAME } },
        {
          op: 'create-domain',
          name: NAME,
          endpointType: 'REGIONAL',
          certificateArn: CERT,
          securityPolicy: 'TLS_1_2',
          tags: { ...OURS, 'cortex-rest-gateway:api-name': 'web' }
        },
        { op: 'map-base-path', name: NAME, basePath: 'v1', stage: 'dev' }
      ],
      warnings: [],
      notes: [],
      apiTags: { [TAG.domain]: NAME, [TAG.path]: 'v1' },
      target: undefined
    })
  })

  it("on a new domain, takes as its own only the API's mapping at the wanted base path", () => {
    // a run that stopped after mapping the new domain, before its tags said so
    const found = discovery([
      { name: OLD, domain: domain(OLD), mappings: [] },
      mapped(
        { basePath: 'v1', restApiId: 'api1', stage: 'old' },
        { basePath: 'v2', restApiId: 'api1', stage: 'dev' }
      )
    ])
    const p = create(found, want({ hostedZoneId: undefined }), { [TAG.domain]: OLD, [TAG.path]: 'v2' })
    expect(p.steps.filter(s => 'name' in s && s.name === NAME)).toEqual([
      { op: 'set-base-path-stage', name: NAME, basePath: 'v1', stage: 'dev', from: 'old' }
    ])
    expect(p.warnings).toEqual([])
  })

  it('moves its record to another zone of the domain when no other gateway is on it', () => {
    const found = discovery(
      [mapped({ basePath: 'v1', restApiId: 'api1', stage: 'dev' })],
      [dns('OLDZONE', NAME, [alias(NAME)], MARK(NAME)), dns('ZONE', NAME, [])]
    )
    const p = create(found, want(), servedAt('v1', 'OLDZONE'))
    expect(p.steps).toEqual([
      { op: 'delete-dns-record', zoneId: 'OLDZONE', name: NAME, records: [MARK(NAME), alias(NAME)] },
      { op: 'tag-api', tags: { [TAG.zone]: 'ZONE' } },
      {
        op: 'upsert-dns-record',
        zoneId: 'ZONE',
        name: NAME,
        target: { dnsName: TARGET, zoneId: TARGET_ZONE },
        marker: MARK(NAME)
      }
    ])
    expect(p.target).toEqual({ dnsName: TARGET, zoneId: TARGET_ZONE })
    expect(p.notes).toEqual([])
  })

  it('keeps the record in the old zone while another gateway uses the domain, saying so', () => {
    const found = discovery(
      [
        mapped(
          { basePath: 'v1', restApiId: 'api1', stage: 'dev' },
          { basePath: 'v2', restApiId: 'b', stage: 'dev' }
        )
      ],
      [dns('OLDZONE', NAME, [alias(NAME)], MARK(NAME)), dns('ZONE', NAME, [alias(NAME)], MARK(NAME))]
    )
    const p = create(found, want(), servedAt('v1', 'OLDZONE'))
    expect(p.steps).toEqual([{ op: 'tag-api', tags: { [TAG.zone]: 'ZONE' } }])
    expect(p.notes).toEqual([
      `The alias record for ${NAME} in hosted zone OLDZONE stays: other gateways use the domain`
    ])
  })

  it('leaves a zone it no longer writes to when the domain is wanted without one', () => {
    const found = discovery(
      [mapped({ basePath: 'v1', restApiId: 'api1', stage: 'dev' })],
      [dns('ZONE', NAME, [alias(NAME)], MARK(NAME))]
    )
    const p = create(found, want({ hostedZoneId: undefined }), servedAt('v1'))
    expect(p.steps).toEqual([
      { op: 'delete-dns-record', zoneId: 'ZONE', name: NAME, records: [MARK(NAME), alias(NAME)] },
      { op: 'untag-api', keys: [TAG.zone] }
    ])
  })
})

describe('the wanted domain', () => {
  it('is made for a new API with the tags saying where it is served given at its creation', () => {
    const p = create(
      discovery([], [dns('ZONE', NAME, [])]),
      want({ basePath: '', securityPolicy: 'TLS_1_0' }),
      {},
      {
        apiIds: []
      }
    )
    expect(p).toEqual({
      steps: [
        {
          op: 'create-domain',
          name: NAME,
          endpointType: 'REGIONAL',
          certificateArn: CERT,
          securityPolicy: 'TLS_1_0',
          tags: { ...OURS, 'cortex-rest-gateway:api-name': 'web', [TAG.zone]: 'ZONE' }
        },
        { op: 'map-base-path', name: NAME, basePath: '', stage: 'dev' },
        { op: 'upsert-dns-record', zoneId: 'ZONE', name: NAME, target: undefined, marker: MARK(NAME) }
      ],
      warnings: [],
      notes: [],
      apiTags: { [TAG.domain]: NAME, [TAG.zone]: 'ZONE', [TAG.path]: '/' },
      target: undefined
    })
  })

  it('refuses a base path too long for a tag, naming the input', () => {
    const e = caught(() => create(discovery([]), want({ basePath: 'a'.repeat(257) }), {}))
    expect(e).toBeInstanceOf(InputError)
    expect(e.message).toContain("'base-path'")
    expect(e.message).toContain('is too long to be recorded in a tag (256 characters, escapes included)')
    // 256 fits
    expect(() =>
      create(discovery([], [dns('ZONE', NAME, [])]), want({ basePath: 'a'.repeat(256) }), {})
    ).not.toThrow()
  })

  it.each([
    [
      {
        'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
        'cortex-rest-gateway:repository': 'octo/other'
      },
      'made by this action from repository octo/other'
    ],
    [{}, 'not made by this action']
  ])("refuses a domain that is not this repository's (%j)", (tags, who) => {
    const found = discovery([{ name: NAME, domain: domain(NAME, { tags }), mappings: [] }])
    const e = caught(() => create(found, want(), {}))
    expect(e).toBeInstanceOf(ActionError)
    expect(e.message).toBe(
      `Custom domain ${NAME} already exists, ${who}: the action maps gateways only onto domains this ` +
        "repository made, and never changes another. Choose another 'domain-name', or map the gateway onto " +
        'it yourself'
    )
  })

  it("refuses to change a domain's endpoint type, saying how", () => {
    const found = discovery([{ name: NAME, domain: domain(NAME), mappings: [] }])
    expect(caught(() => create(found, want(), {}, { endpointType: 'EDGE' })).message).toBe(
      `Custom domain ${NAME} is REGIONAL, but 'endpoint-type' is EDGE: a domain's endpoint type is not ` +
        "changed in place. Run once without 'domain-name' (the action removes the domain, when nothing else " +
        'is mapped onto it), then again with it'
    )
  })

  it('sets a certificate on a domain that has none, and the TLS policy, in place', () => {
    const found = discovery(
      [
        {
          name: NAME,
          domain: domain(NAME, { certificateArn: undefined, securityPolicy: 'TLS_1_0' }),
          mappings: [{ basePath: 'v1', restApiId: 'api1', stage: 'dev' }]
        }
      ],
      [ourRecord]
    )
    expect(create(found, want({ certificateArn: CERT2 }), servedAt('v1')).steps).toEqual([
      { op: 'set-domain-certificate', name: NAME, endpointType: 'REGIONAL', certificateArn: CERT2 },
      { op: 'set-domain-security-policy', name: NAME, from: 'TLS_1_0', securityPolicy: 'TLS_1_2' }
    ])
  })

  it('reads a domain with no TLS policy as TLS_1_2, and sets another wanted', () => {
    const view = (securityPolicy?: string): DomainView => ({
      name: NAME,
      domain: domain(NAME, { securityPolicy }),
      mappings: [{ basePath: 'v1', restApiId: 'api1', stage: 'dev' }]
    })
    expect(create(discovery([view()], [ourRecord]), want(), servedAt('v1')).steps).toEqual([])
    const policy = 'SecurityPolicy_TLS13_1_3_2025_09'
    expect(
      create(discovery([view()], [ourRecord]), want({ securityPolicy: policy }), servedAt('v1')).steps
    ).toEqual([{ op: 'set-domain-security-policy', name: NAME, from: undefined, securityPolicy: policy }])
  })

  it('records no zone on a domain when none is wanted', () => {
    const found = discovery([
      { name: NAME, domain: domain(NAME, { tags: OURS }), mappings: [{ basePath: 'v1', restApiId: 'api1' }] }
    ])
    expect(
      create(found, want({ hostedZoneId: undefined }), { [TAG.domain]: NAME, [TAG.path]: 'v1' }).steps
    ).toEqual([{ op: 'set-base-path-stage', name: NAME, basePath: 'v1', stage: 'dev' }])
  })
})

describe('the mapping', () => {
  it.each([
    ['v1', 'prod', `Base path 'v1' of custom domain ${NAME} already serves REST API other (stage prod)`],
    ['v1', undefined, `Base path 'v1' of custom domain ${NAME} already serves REST API other`],
    ['', 'prod', `The root of custom domain ${NAME} already serves REST API other (stage prod)`]
  ])("refuses base path '%s' another API's stage %s holds", (basePath, stage, text) => {
    const found = discovery([mapped({ basePath, restApiId: 'other', ...(stage ? { stage } : {}) })])
    const e = caught(() => create(found, want({ basePath }), servedAt(basePath === '' ? '/' : basePath)))
    expect(e).toBeInstanceOf(ActionError)
    expect(e.message).toBe(`${text}: choose another 'base-path'`)
  })

  it('refuses the root beside other APIs, naming each, and a base path beside their root', () => {
    const found = discovery([mapped({ basePath: 'a', restApiId: 'o1' }, { basePath: 'b', restApiId: 'o2' })])
    expect(caught(() => create(found, want({ basePath: '' }), {})).message).toBe(
      `Custom domain ${NAME} also serves REST API o1, o2, and AWS maps a domain's root only when nothing ` +
        "else is mapped onto it: choose another 'base-path'"
    )
    const root = discovery([mapped({ basePath: '', restApiId: 'o1' })])
    expect(caught(() => create(root, want(), {})).message).toBe(
      `Custom domain ${NAME} serves REST API o1 at its root, and AWS maps a domain's root only when nothing ` +
        "else is mapped onto it: choose another 'base-path'"
    )
  })

  it('maps a base path beside other APIs, and its own root when nothing else is there', () => {
    const found = discovery([mapped({ basePath: 'v9', restApiId: 'o1' })], [ourRecord])
    expect(create(found, want(), servedAt('v1')).steps).toEqual([
      { op: 'map-base-path', name: NAME, basePath: 'v1', stage: 'dev' }
    ])
    const alone = discovery([mapped({ basePath: '', restApiId: 'api1', stage: 'dev' })], [ourRecord])
    expect(create(alone, want({ basePath: '' }), servedAt('/')).steps).toEqual([])
  })

  it('points its mapping at the stage, naming the one it served', () => {
    const found = discovery([mapped({ basePath: 'v1', restApiId: 'api1', stage: 'old' })], [ourRecord])
    expect(create(found, want(), servedAt('v1')).steps).toEqual([
      { op: 'set-base-path-stage', name: NAME, basePath: 'v1', stage: 'dev', from: 'old' }
    ])
  })

  it("unmaps its twins' mappings: after the new one serves, or before it where the root is involved", () => {
    const twins = { twinIds: ['twin'] }
    const beside = discovery(
      [mapped({ basePath: 'v2', restApiId: 'twin', stage: 'dev' }, { basePath: 'x', restApiId: 'other' })],
      [ourRecord]
    )
    expect(create(beside, want(), servedAt('v1'), twins).steps).toEqual([
      { op: 'map-base-path', name: NAME, basePath: 'v1', stage: 'dev' },
      { op: 'unmap-base-path', name: NAME, basePath: 'v2', restApiId: 'twin' }
    ])
    const root = discovery([mapped({ basePath: '', restApiId: 'twin', stage: 'dev' })], [ourRecord])
    expect(create(root, want(), servedAt('v1'), twins).steps).toEqual([
      { op: 'unmap-base-path', name: NAME, basePath: '', restApiId: 'twin' },
      { op: 'map-base-path', name: NAME, basePath: 'v1', stage: 'dev' }
    ])
    // a new API (none yet): its twin's mapping makes way all the same
    const fresh = create(beside, want(), {}, { ...twins, apiIds: [] })
    expect(fresh.steps.filter(s => s.op.includes('map'))).toEqual([
      { op: 'map-base-path', name: NAME, basePath: 'v1', stage: 'dev' },
      { op: 'unmap-base-path', name: NAME, basePath: 'v2', restApiId: 'twin' }
    ])
  })

  it("keeps a mapping a person added to another API where the plan's API has none", () => {
    const found = discovery(
      [mapped({ basePath: 'v1', restApiId: 'api1', stage: 'dev' }, { basePath: 'v2', restApiId: 'x' })],
      [ourRecord]
    )
    const p = create(found, want(), servedAt('v1'), { twinIds: [] })
    expect(p.steps).toEqual([])
    expect(p.warnings).toEqual([])
  })

  it('records its base path only once the new mapping serves', () => {
    const found = discovery([mapped({ basePath: 'v1', restApiId: 'api1', stage: 'dev' })], [ourRecord])
    expect(create(found, want({ basePath: 'v1~x' }), servedAt('v1')).steps).toEqual([
      { op: 'map-base-path', name: NAME, basePath: 'v1~x', stage: 'dev' },
      { op: 'unmap-base-path', name: NAME, basePath: 'v1', restApiId: 'api1' },
      // not a tag character: escaped
      { op: 'tag-api', tags: { [TAG.path]: 'v1=7Ex' } }
    ])
  })
})

describe('the alias record', () => {
  const view = mapped({ basePath: 'v1', restApiId: 'api1', stage: 'dev' })
  const plan = (records: DnsView | undefined, wanted = want()) =>
    create(discovery([{ ...view, name: wanted.name }], records ? [records] : []), wanted, {
      ...servedAt('v1'),
      [TAG.domain]: wanted.name
    })

  it('was read for the wanted zone, or the run cannot go on', () => {
    expect(caught(() => plan(undefined)).message).toBe(
      `internal error: the records of ${NAME} in ZONE were not read`
    )
  })

  it('is in a zone of the domain: the apex or a name below it, not a name that only ends alike', () => {
    expect(plan(dns('ZONE', 'example.com', []), want({ name: 'example.com' })).steps).toEqual([
      {
        op: 'upsert-dns-record',
        zoneId: 'ZONE',
        name: 'example.com',
        target: { dnsName: TARGET, zoneId: TARGET_ZONE },
        marker: MARK('example.com')
      }
    ])
    const e = caught(() => plan(dns('ZONE', 'badexample.com', []), want({ name: 'badexample.com' })))
    expect(e).toBeInstanceOf(InputError)
    expect(e.message).toContain("'hosted-zone-id'")
    expect(e.message).toContain(
      'ZONE is the hosted zone of example.com, which badexample.com is not in: give the zone the domain is in'
    )
  })

  it("is not written where another repository's (or region's) mark is, naming the mark", () => {
    const theirs: DnsRecord = {
      ...MARK(NAME),
      values: ['"heritage=cortex-rest-gateway,repository=octo/other,region=us-west-2"']
    }
    const e = caught(() => plan(dns('ZONE', NAME, [], theirs)))
    expect(e).toBeInstanceOf(ActionError)
    expect(e.message).toBe(
      `The alias record for ${NAME} in hosted zone ZONE is marked as written from another repository or for ` +
        `another region's domain (${theirs.values[0]}): it is left to that one`
    )
    // a mark of two values is not the action's either
    const two = { ...MARK(NAME), values: [MARK(NAME).values[0], '"x"'] }
    expect(() => plan(dns('ZONE', NAME, [], two))).toThrow('is marked as written from another repository')
  })

  it('never overwrites a CNAME, whatever it points at, nor an AAAA alias elsewhere; keeps one at the domain', () => {
    const cname: DnsRecord = { name: NAME, type: 'CNAME', ttl: 300, values: [TARGET] }
    expect(caught(() => plan(dns('ZONE', NAME, [cname], MARK(NAME)))).message).toBe(
      `Hosted zone ZONE already has a record for ${NAME} that points elsewhere: CNAME ${TARGET}. The action ` +
        'never overwrites a record it did not write: remove it, or point it at the domain yourself (the ' +
        "'domain-target' output)"
    )
    const aaaa = (dnsName: string): DnsRecord => ({ ...alias(NAME, dnsName), type: 'AAAA' })
    expect(() => plan(dns('ZONE', NAME, [aaaa('elsewhere.example.net')], MARK(NAME)))).toThrow(
      'points elsewhere: AAAA alias to elsewhere.example.net (hosted zone Z2OJLYMUO9EFXC)'
    )
    expect(plan(dns('ZONE', NAME, [alias(NAME), aaaa(TARGET)], MARK(NAME))).steps).toEqual([])
    // a TXT record of a person's at the name is no record in the way
    const txt: DnsRecord = { name: NAME, type: 'TXT', ttl: 300, values: ['"v=spf1 -all"'] }
    expect(plan(dns('ZONE', NAME, [txt], MARK(NAME))).steps).toEqual([
      {
        op: 'upsert-dns-record',
        zoneId: 'ZONE',
        name: NAME,
        target: { dnsName: TARGET, zoneId: TARGET_ZONE },
        marker: MARK(NAME)
      }
    ])
  })

  it('is left as it is when a person pointed it at the domain, saying so; its own at the domain says nothing', () => {
    // AWS may name the target in capitals: the record, in lower case, points at it
    const upper = discovery(
      [{ ...view, domain: domain(NAME, { target: TARGET.toUpperCase() }) }],
      [dns('ZONE', NAME, [alias(NAME)])]
    )
    const person = create(upper, want(), servedAt('v1'))
    expect(person.steps).toEqual([])
    expect(person.notes).toEqual([
      `The alias record for ${NAME} already points at the domain (not written by this action)`
    ])
    expect(plan(ourRecord).notes).toEqual([])
  })

  it('is the target in lower case, in its zone: another zone is not the domain', () => {
    const elsewhere = alias(NAME, TARGET, 'ZOTHER')
    expect(() => plan(dns('ZONE', NAME, [elsewhere]))).toThrow(`A alias to ${TARGET} (hosted zone ZOTHER)`)
  })
})

describe('isActionAlias', () => {
  const t = { dnsName: TARGET, zoneId: TARGET_ZONE }
  it("is an A alias to the domain's target, or without one to a regional domain's of the region", () => {
    expect(isActionAlias(alias(NAME), t, REGION)).toBe(true)
    expect(isActionAlias({ ...alias(NAME), type: 'AAAA' }, t, REGION)).toBe(false)
    expect(isActionAlias({ name: NAME, type: 'A', values: ['192.0.2.1'] }, undefined, REGION)).toBe(false)
    expect(isActionAlias(alias(NAME, 'd-old9.execute-api.us-west-2.amazonaws.com'), t, REGION)).toBe(false)
    expect(isActionAlias(alias(NAME, 'd-old9.execute-api.us-west-2.amazonaws.com'), undefined, REGION)).toBe(
      true
    )
    for (const other of [
      'd-old.execute-api.eu-west-1.amazonaws.com',
      'x.d-old.execute-api.us-west-2.amazonaws.com',
      'd-old.execute-api.us-west-2.amazonaws.com.evil.net',
      'd-.execute-api.us-west-2.amazonaws.com',
      'd-oldXexecute-api.us-west-2.amazonaws.com'
    ])
      expect([other, isActionAlias(alias(NAME, other), undefined, REGION)]).toEqual([other, false])
  })
})

describe('leaving a domain', () => {
  const ctx = (found: DomainDiscovery, apiIds = ['api1']) => ({ owner: OWNER, region: REGION, found, apiIds })

  it('gone already: its records go, where the zone is known', () => {
    const found = discovery([], [ourRecord])
    expect(leaveDomain(ctx(found), NAME, 'ZONE')).toEqual({
      // without the domain to say, an alias to a regional domain of the region is as the action writes it
      steps: [{ op: 'delete-dns-record', zoneId: 'ZONE', name: NAME, records: [MARK(NAME), alias(NAME)] }],
      warnings: [],
      notes: []
    })
    expect(leaveDomain(ctx(found), NAME, undefined)).toEqual({ steps: [], warnings: [], notes: [] })
    // a view without its domain is a domain gone too
    const noDomain = discovery([{ name: NAME, mappings: [] }], [ourRecord])
    expect(leaveDomain(ctx(noDomain), NAME, undefined).steps).toEqual([])
  })

  it("of another's: its mappings are left, saying whose the domain is", () => {
    const found = discovery([
      {
        name: NAME,
        domain: domain(NAME, { tags: {} }),
        mappings: [
          { basePath: 'v1', restApiId: 'api1' },
          { basePath: '', restApiId: 'b' }
        ]
      }
    ])
    expect(leaveDomain(ctx(found), NAME, 'ZONE')).toEqual({
      steps: [],
      warnings: [
        `Base path 'v1' of custom domain ${NAME} still maps REST API api1: the domain is not made by this ` +
          'action, so it is left as it is'
      ],
      notes: []
    })
  })

  it('takes the records in the zone given and in the one the domain records', () => {
    const found = discovery(
      [
        {
          name: NAME,
          domain: domain(NAME),
          mappings: [
            { basePath: 'v1', restApiId: 'api1' },
            { basePath: 'v2', restApiId: 'b' },
            { basePath: 'v3', restApiId: 'b' }
          ]
        }
      ],
      [ourRecord, dns('OTHER', NAME, [alias(NAME)], MARK(NAME))]
    )
    expect(leaveDomain(ctx(found), NAME, 'OTHER')).toEqual({
      steps: [
        { op: 'unmap-base-path', name: NAME, basePath: 'v1', restApiId: 'api1' },
        {
          op: 'delete-dns-record',
          zoneId: 'OTHER',
          name: NAME,
          records: [MARK(NAME), alias(NAME)],
          withDomain: NAME,
          ifLast: true
        },
        {
          op: 'delete-dns-record',
          zoneId: 'ZONE',
          name: NAME,
          records: [MARK(NAME), alias(NAME)],
          withDomain: NAME,
          ifLast: true
        },
        { op: 'delete-domain', name: NAME, ifLast: true }
      ],
      warnings: [],
      notes: [
        `Custom domain ${NAME} also serves REST API b: it stays unless nothing is mapped onto it once this ` +
          'gateway has left (read again then)'
      ]
    })
  })

  it("a record not marked as the action's is left, saying so only when it points at the domain", () => {
    const found = (records: DnsRecord[]) =>
      discovery([{ name: NAME, domain: domain(NAME), mappings: [] }], [dns('ZONE', NAME, records)])
    expect(leaveDomain(ctx(found([alias(NAME)])), NAME, 'ZONE')).toEqual({
      steps: [{ op: 'delete-domain', name: NAME }],
      warnings: [],
      notes: [`The alias record for ${NAME} in hosted zone ZONE was not written by this action: left`]
    })
    const elsewhere = leaveDomain(ctx(found([alias(NAME, 'lb.example.net')])), NAME, 'ZONE')
    expect(elsewhere.notes).toEqual([])
    // an AAAA record at the domain is not the alias the note is about
    const aaaa = leaveDomain(ctx(found([{ ...alias(NAME), type: 'AAAA' }])), NAME, 'ZONE')
    expect(aaaa.notes).toEqual([])
  })

  it('names a record of the action that now holds addresses, and takes only the mark', () => {
    const a: DnsRecord = { name: NAME, type: 'A', ttl: 60, values: ['192.0.2.1', '192.0.2.2'] }
    const found = discovery(
      [{ name: NAME, domain: domain(NAME), mappings: [] }],
      [dns('ZONE', NAME, [a, alias(NAME)], MARK(NAME))]
    )
    const p = leaveDomain(ctx(found), NAME, 'ZONE')
    expect(p.steps[0]).toEqual({
      op: 'delete-dns-record',
      zoneId: 'ZONE',
      name: NAME,
      records: [MARK(NAME), alias(NAME)],
      withDomain: NAME
    })
    expect(p.warnings).toEqual([
      `The A record for ${NAME} in hosted zone ZONE points elsewhere now (A 192.0.2.1 192.0.2.2): it is no ` +
        "longer the action's, so it is left; only the action's owner mark beside it goes"
    ])
  })
})

describe('the sweep of domains serving nothing', () => {
  const sweep = (found: DomainDiscovery, claimed: string[] = []) =>
    sweepDomains({ owner: OWNER, region: REGION, found }, new Set(claimed))

  it('takes a domain made before its zone was recorded, saying its record stays', () => {
    const found = discovery([{ name: NAME, domain: domain(NAME, { tags: OURS }), mappings: [] }], [], [NAME])
    expect(sweep(found)).toEqual({
      steps: [{ op: 'delete-domain', name: NAME, sweep: OWNER }],
      warnings: [],
      notes: [
        `Custom domain ${NAME} of this repository serves nothing: it goes (it was made before the action ` +
          'recorded its hosted zone: an alias record for it, if any, stays for you to remove)'
      ]
    })
  })

  it('takes nothing mapped meanwhile, nor a domain gone, nor one claimed; nothing without idle ones', () => {
    const found = discovery(
      [
        { name: NAME, domain: domain(NAME), mappings: [{ basePath: '', restApiId: 'x' }] },
        { name: OLD, mappings: [] },
        { name: 'c.example.com', domain: domain('c.example.com'), mappings: [] }
      ],
      [ourRecord],
      [NAME, OLD, 'c.example.com', 'unread.example.com']
    )
    expect(sweep(found, ['c.example.com'])).toEqual({ steps: [], warnings: [], notes: [] })
    expect(sweep(discovery([{ name: NAME, domain: domain(NAME), mappings: [] }]))).toEqual({
      steps: [],
      warnings: [],
      notes: []
    })
  })

  it('marks the records it takes with the owner, and says the domain goes', () => {
    const found = discovery([{ name: NAME, domain: domain(NAME), mappings: [] }], [ourRecord], [NAME])
    expect(sweep(found)).toEqual({
      steps: [
        {
          op: 'delete-dns-record',
          zoneId: 'ZONE',
          name: NAME,
          records: [MARK(NAME), alias(NAME)],
          withDomain: NAME,
          sweep: OWNER
        },
        { op: 'delete-domain', name: NAME, sweep: OWNER }
      ],
      warnings: [],
      notes: [`Custom domain ${NAME} of this repository serves nothing: it goes`]
    })
  })
})

describe('what the first measure of the domain planner left unseen', () => {
  it('a legacy gateway leaving a domain takes its only mapping there, not another API beside it', () => {
    const found = discovery(
      [
        {
          name: OLD,
          domain: domain(OLD),
          mappings: [
            { basePath: 'v1', restApiId: 'api1', stage: 'dev' },
            { basePath: 'x', restApiId: 'other', stage: 'prod' }
          ]
        }
      ],
      [dns('ZONE', OLD, [alias(OLD)], MARK(OLD))]
    )
    const p = create(found, undefined, { [TAG.domain]: OLD, [TAG.zone]: 'ZONE' })
    expect(p.steps.slice(0, 1)).toEqual([
      { op: 'unmap-base-path', name: OLD, basePath: 'v1', restApiId: 'api1' }
    ])
  })

  it('leaves a domain gone already: the records the action wrote for it go from the zone', () => {
    const found = discovery([], [dns('ZONE', OLD, [alias(OLD)], MARK(OLD)), dns('ZONE', NAME, [])])
    const p = create(
      found,
      want(),
      { [TAG.domain]: OLD, [TAG.zone]: 'ZONE', [TAG.path]: 'v1' },
      { apiIds: ['api1'] }
    )
    expect(p.steps.slice(0, 2)).toEqual([
      { op: 'delete-dns-record', zoneId: 'ZONE', name: OLD, records: [MARK(OLD), alias(OLD)] },
      { op: 'tag-api', tags: { [TAG.domain]: NAME } }
    ])
  })

  it('moves its record to the new zone of a domain gone meanwhile', () => {
    const found = discovery([], [dns('OLDZONE', NAME, [alias(NAME)], MARK(NAME)), dns('ZONE', NAME, [])])
    const p = create(found, want(), servedAt('v1', 'OLDZONE'))
    expect(p.steps[0]).toEqual({
      op: 'delete-dns-record',
      zoneId: 'OLDZONE',
      name: NAME,
      records: [MARK(NAME), alias(NAME)]
    })
    expect(p.notes).toEqual([])
  })

  it('says nothing of an old zone where the API recorded none', () => {
    const found = discovery(
      [mapped({ basePath: 'v1', restApiId: 'api1', stage: 'dev' }, { basePath: 'v2', restApiId: 'b' })],
      [ourRecord]
    )
    const p = create(found, want(), { [TAG.domain]: NAME, [TAG.path]: 'v1' })
    expect(p.notes).toEqual([])
    expect(p.steps).toEqual([{ op: 'tag-api', tags: { [TAG.zone]: 'ZONE' } }])
  })

  it("takes as its own no other API's mapping at the base path it recorded", () => {
    // the API's old mapping is gone; another gateway took that base path since
    const found = discovery([mapped({ basePath: 'v2', restApiId: 'other' })], [ourRecord])
    expect(create(found, want(), servedAt('v2')).steps).toEqual([
      { op: 'map-base-path', name: NAME, basePath: 'v1', stage: 'dev' },
      { op: 'tag-api', tags: { [TAG.path]: 'v1' } }
    ])
  })

  it('arriving on a domain whose root it maps already (a run that stopped), keeps it', () => {
    const found = discovery(
      [
        { name: OLD, domain: domain(OLD), mappings: [] },
        mapped({ basePath: '', restApiId: 'api1', stage: 'dev' })
      ],
      [ourRecord]
    )
    const p = create(found, want({ basePath: '' }), {
      [TAG.domain]: OLD,
      [TAG.zone]: 'ZONE',
      [TAG.path]: 'v1'
    })
    expect(p.steps.filter(s => s.op.includes('map'))).toEqual([])
    expect(p.warnings).toEqual([])
  })

  it('warns of no unrecorded mapping when arriving on a domain, nor when the base path is recorded', () => {
    const found = discovery(
      [
        { name: OLD, domain: domain(OLD), mappings: [] },
        mapped({ basePath: 'v2', restApiId: 'api1', stage: 'dev' })
      ],
      [ourRecord]
    )
    const arriving = create(found, want(), { [TAG.domain]: OLD, [TAG.zone]: 'ZONE' })
    expect(arriving.warnings).toEqual([])
    const recorded = discovery(
      [
        mapped({ basePath: 'v1', restApiId: 'api1', stage: 'dev' }, { basePath: 'latest', restApiId: 'api1' })
      ],
      [ourRecord]
    )
    expect(create(recorded, want(), servedAt('v1')).warnings).toEqual([])
    // a legacy gateway's only mapping, moved: it was the action's, so no warning
    const legacy = discovery([mapped({ basePath: 'v1', restApiId: 'api1', stage: 'dev' })], [ourRecord])
    const moved = create(legacy, want({ basePath: 'v2' }), { [TAG.domain]: NAME, [TAG.zone]: 'ZONE' })
    expect(moved.warnings).toEqual([])
  })

  it('unmaps first when any of its stale mappings is the root', () => {
    const found = discovery(
      [
        mapped(
          { basePath: 'v2', restApiId: 'api1', stage: 'dev' },
          { basePath: '', restApiId: 'twin', stage: 'dev' }
        )
      ],
      [ourRecord]
    )
    expect(create(found, want(), servedAt('v2'), { twinIds: ['twin'] }).steps.map(s => s.op)).toEqual([
      'unmap-base-path',
      'unmap-base-path',
      'map-base-path',
      'tag-api'
    ])
  })

  it('writes a region used in the target pattern as plain text', () => {
    const regional = alias(NAME, 'd-abc.execute-api.us-west-2.amazonaws.com')
    expect(isActionAlias(regional, undefined, 'us-west-2.*')).toBe(true)
  })

  it("takes no record but A records for the action's when it leaves, naming none of the others", () => {
    const aaaa: DnsRecord = { name: NAME, type: 'AAAA', ttl: 60, values: ['2001:db8::1'] }
    const found = discovery(
      [{ name: NAME, domain: domain(NAME), mappings: [] }],
      [dns('ZONE', NAME, [alias(NAME), aaaa], MARK(NAME))]
    )
    expect(leaveDomain({ owner: OWNER, region: REGION, found, apiIds: [] }, NAME, 'ZONE').warnings).toEqual(
      []
    )
  })

  it("names each value of a mark not the action's", () => {
    const two = { ...MARK(NAME), values: ['"a"', '"b"'] }
    const found = discovery(
      [mapped({ basePath: 'v1', restApiId: 'api1', stage: 'dev' })],
      [dns('ZONE', NAME, [], two)]
    )
    expect(() => create(found, want(), servedAt('v1'))).toThrow(
      `another region's domain ("a" "b"): it is left`
    )
  })

  it('writes an alias record to the target, not evaluating its health', () => {
    expect(aliasRecord(NAME, { dnsName: TARGET, zoneId: TARGET_ZONE })).toStrictEqual({
      name: NAME,
      type: 'A',
      values: [],
      alias: { dnsName: TARGET, zoneId: TARGET_ZONE, evaluateTargetHealth: false }
    })
  })
})

describe('the domain as a feature of the create plan', () => {
  const DOMAIN_INPUTS = {
    'load-balancer': 'cortex-1.us-west-2.elb.amazonaws.com',
    region: 'us-west-2',
    'domain-name': NAME,
    'certificate-arn': CERT,
    'base-path': 'v1'
  }
  const idle = (name: string): DomainView => ({ name, domain: domain(name, { tags: OURS }), mappings: [] })
  const featureOf = (
    inputs: Record<string, string>,
    existing?: RestApiSummary,
    ours: RestApiSummary[] = []
  ) => {
    const config = configFrom(inputs) as CreateConfig
    const names = [NAME, OLD, 'kept.example.com', 'swept.example.com']
    const found = {
      loadBalancer: {} as never,
      sameName: [],
      ours,
      domain: discovery(names.map(idle), [], names)
    } as unknown as CreateDiscovery
    return planDomainFeature({
      config: { ...config, owner: OWNER },
      found,
      tags: OURS,
      existing,
      twinIds: []
    })
  }
  const api = (tags: Record<string, string>): RestApiSummary => ({
    id: 'api1',
    name: 'cortex',
    tags,
    endpointTypes: ['REGIONAL']
  })
  const swept = (plan: ReturnType<typeof planDomainFeature>) =>
    plan.parts.sweep!.steps.map(s => ('name' in s ? s.name : ''))

  it('sweeps the idle domains no gateway of the repository is served on, nor this one wants or leaves', () => {
    const other = api({ [TAG.domain]: 'kept.example.com' })
    const plan = featureOf(DOMAIN_INPUTS, api({ [TAG.domain]: OLD, [TAG.path]: 'v1' }), [other, api({})])
    expect(swept(plan)).toEqual(['swept.example.com'])
    expect(plan.apiTags).toEqual({ [TAG.domain]: NAME, [TAG.path]: 'v1' })
    expect(plan.report).toEqual({ domainTarget: { dnsName: TARGET, zoneId: TARGET_ZONE } })
    // the domain part is planned for the API there: the domain it leaves goes, then the new one is tagged, mapped
    expect(plan.parts.last!.steps.map(s => s.op)).toEqual(['delete-domain', 'tag-api', 'map-base-path'])
  })

  it('without a domain or an API, sweeps every idle one', () => {
    const { 'domain-name': _d, 'certificate-arn': _c, 'base-path': _b, ...inputs } = DOMAIN_INPUTS
    const plan = featureOf(inputs)
    expect(swept(plan)).toEqual([NAME, OLD, 'kept.example.com', 'swept.example.com'])
    expect(plan.parts.last).toEqual({ steps: [], warnings: [], notes: [], apiTags: {} })
  })
})
