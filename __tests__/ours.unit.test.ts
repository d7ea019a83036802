/**
 * The one model of "ours" (src/model/ours.ts): every kind of resource has its entry, every rule it names
 * is there in the code, and each rule that decides takes a resource of ours, written out as AWS holds it,
 * for ours, and refuses a same-named one of another repository, and a person's.
 */
import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CreateConfig } from '../src/config/inputs.js'
import { planApiSettings } from '../src/features/settings/plan.js'
import type { BasePathMapping, DnsView, RestApiSummary, UsagePlan } from '../src/model/model.js'
import { KINDS, OWNERSHIP, type Rule } from '../src/model/ours.js'
import { configFrom } from './support/inputs.js'
import { ROOT } from './support/run-action.js'

const OWNER = 'octo/app'
/** The tags of a resource this repository's runs made for the gateway `cortex`, stage `prod`. */
const OURS = {
  'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
  'cortex-rest-gateway:repository': 'octo/app',
  'cortex-rest-gateway:api-name': 'cortex',
  'cortex-rest-gateway:stage': 'prod'
}
/** The same, made from another repository's runs (every repository's default api-name is cortex). */
const ANOTHER_REPOSITORY = { ...OURS, 'cortex-rest-gateway:repository': 'octo/other' }
/** A person's: no managed-by tag, whatever else they copied. */
const A_PERSONS = { 'cortex-rest-gateway:repository': 'octo/app', 'cortex-rest-gateway:api-name': 'cortex' }

type Fn = (...args: never[]) => unknown
// each case calls the rule the table names, as the code does
type Call = (f: Fn) => boolean
interface Case {
  ours: Call
  /** A resource of the same name (or at the same place) that is not ours, by what it is. */
  notOurs: Record<string, Call>
}
const call = <A extends unknown[]>(f: Fn, ...args: A): unknown =>
  (f as unknown as (...a: A) => unknown)(...args)

const plan = (tags: Record<string, string>): UsagePlan => ({
  id: 'p1',
  name: 'cortex-prod',
  apiStages: [{ apiId: 'a1', stage: 'prod' }],
  tags
})
const api = (tags: Record<string, string>): RestApiSummary => ({
  id: 'a1',
  name: 'cortex',
  tags,
  endpointTypes: ['REGIONAL']
})
const mapping = (basePath: string): BasePathMapping => ({ basePath, restApiId: 'a1', stage: 'prod' })
const marked = (value?: string): DnsView => ({
  zoneId: 'Z0123ABC',
  zoneName: 'example.com',
  name: 'api.example.com',
  records: [],
  marker:
    value === undefined
      ? undefined
      : { name: '_cortex-rest-gateway.api.example.com', type: 'TXT', ttl: 300, values: [value] }
})
const TARGET = { dnsName: 'd-abc123.execute-api.us-west-2.amazonaws.com', zoneId: 'Z2OJLYMUO9EFXC' }
const alias = (dnsName: string, zoneId = TARGET.zoneId, type = 'A') => ({
  name: 'api.example.com',
  type,
  values: [],
  alias: { dnsName, zoneId, evaluateTargetHealth: false }
})

/** The API's settings planned with no settings inputs: does the run take `statement` out as its own? */
function takenOut(statement: Record<string, unknown>): boolean {
  const { settings } = configFrom({ 'load-balancer': 'cortex-1.elb.us-west-2.amazonaws.com' }) as CreateConfig
  const api: RestApiSummary = {
    id: 'a1',
    name: 'cortex',
    tags: OURS,
    endpointTypes: ['REGIONAL'],
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement] })
  }
  return planApiSettings(settings, 'REGIONAL', api).steps.length > 0
}
const INVOKE = { Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }

const CASES: Record<Rule, Case> = {
  'model/ownership#isOurs': {
    ours: f => call(f, OURS, OWNER) === true,
    notOurs: {
      "another repository's": f => call(f, ANOTHER_REPOSITORY, OWNER) === true,
      "a person's": f => call(f, A_PERSONS, OWNER) === true,
      untagged: f => call(f, {}, OWNER) === true
    }
  },
  'model/ownership#madeFor': {
    ours: f => call(f, OURS, OWNER, 'cortex') === true,
    notOurs: {
      "another repository's": f => call(f, ANOTHER_REPOSITORY, OWNER, 'cortex') === true,
      "a person's": f => call(f, A_PERSONS, OWNER, 'cortex') === true,
      "another gateway's of ours": f => call(f, OURS, OWNER, 'cortex-2') === true
    }
  },
  'model/ownership#madeForStage': {
    ours: f => call(f, OURS, OWNER, 'cortex', 'prod') === true,
    notOurs: {
      "another repository's": f => call(f, ANOTHER_REPOSITORY, OWNER, 'cortex', 'prod') === true,
      "a person's": f =>
        call(f, { ...A_PERSONS, 'cortex-rest-gateway:stage': 'prod' }, OWNER, 'cortex', 'prod') === true,
      "another stage's of ours": f => call(f, OURS, OWNER, 'cortex', 'dev') === true
    }
  },
  'features/keys/plan#planFor': {
    ours: f => call(f, [plan(OURS)], OWNER, 'a1', 'prod') !== undefined,
    notOurs: {
      "another repository's": f => call(f, [plan(ANOTHER_REPOSITORY)], OWNER, 'a1', 'prod') !== undefined,
      "a person's": f => call(f, [plan({})], OWNER, 'a1', 'prod') !== undefined
    }
  },
  'features/settings/plan-stage#groupsIn': {
    // what the tag of ours records, as written (tagValue of the groups, space-separated)
    ours: f => (call(f, 'throttle tracing waf') as Set<string>).has('waf'),
    notOurs: {
      "a person's, the tag recording other settings": f =>
        (call(f, 'throttle tracing') as Set<string>).has('waf'),
      "a person's, no tag of ours": f => (call(f, undefined) as Set<string>).has('tracing')
    }
  },
  // not exported (features/settings is another part's): held to its rule through the plan that uses it
  'features/settings/plan-policy#isMarked': {
    ours: () => takenOut({ Sid: 'CortexRestGatewayAllowedSourceIps', Effect: 'Deny', ...INVOKE }),
    notOurs: {
      "a person's, the mark's text in its Sid": () =>
        takenOut({ Sid: 'CortexRestGatewayAudit', Effect: 'Deny', ...INVOKE }),
      "a person's, no Sid": () => takenOut({ Effect: 'Allow', ...INVOKE })
    }
  },
  'features/domain/plan-leave#madeMappings': {
    // the API's mappings on the domain, its tag recording base path v1
    ours: f =>
      (call(f, [mapping('v1'), mapping('latest')], 'v1') as BasePathMapping[]).some(m => m.basePath === 'v1'),
    notOurs: {
      "a person's, to the same stage": f =>
        (call(f, [mapping('v1'), mapping('latest')], 'v1') as BasePathMapping[]).some(
          m => m.basePath === 'latest'
        )
    }
  },
  'model/ownership#markedOurs': {
    ours: f =>
      call(
        f,
        marked('"heritage=cortex-rest-gateway,repository=octo/app,region=us-west-2"'),
        OWNER,
        'us-west-2'
      ) === true,
    notOurs: {
      "another repository's": f =>
        call(
          f,
          marked('"heritage=cortex-rest-gateway,repository=octo/other,region=us-west-2"'),
          OWNER,
          'us-west-2'
        ) === true,
      "another region's domain's": f =>
        call(
          f,
          marked('"heritage=cortex-rest-gateway,repository=octo/app,region=eu-west-1"'),
          OWNER,
          'us-west-2'
        ) === true,
      "a person's, unmarked": f => call(f, marked(), OWNER, 'us-west-2') === true
    }
  },
  'features/domain/plan-records#isActionAlias': {
    ours: f => call(f, alias('d-abc123.execute-api.us-west-2.amazonaws.com'), TARGET, 'us-west-2') === true,
    notOurs: {
      "a person's, to a load balancer": f =>
        call(f, alias('cortex-1.elb.us-west-2.amazonaws.com', 'Z1H1FL5HABSF5'), TARGET, 'us-west-2') === true,
      "a person's, a CNAME": f =>
        call(
          f,
          alias('d-abc123.execute-api.us-west-2.amazonaws.com', TARGET.zoneId, 'CNAME'),
          TARGET,
          'us-west-2'
        ) === true,
      "another region's domain, ours gone": f =>
        call(f, alias('d-xyz789.execute-api.eu-west-1.amazonaws.com'), undefined, 'us-west-2') === true
    }
  },
  // the orphans: picked among ours only
  'features/keys/plan#strayPlans': {
    ours: f =>
      (call(f, [{ ...plan(OURS), apiStages: [] }], OWNER, 'cortex', () => true) as UsagePlan[]).length === 1,
    notOurs: {
      "another repository's": f =>
        (
          call(
            f,
            [{ ...plan(ANOTHER_REPOSITORY), apiStages: [] }],
            OWNER,
            'cortex',
            () => true
          ) as UsagePlan[]
        ).length === 1,
      "a person's": f =>
        (call(f, [{ ...plan({}), apiStages: [] }], OWNER, 'cortex', () => true) as UsagePlan[]).length === 1
    }
  },
  'features/cors/plan#isOurResponse': {
    ours: f =>
      call(f, {
        responseType: 'DEFAULT_4XX',
        defaultResponse: false,
        responseParameters: {},
        responseTemplates: {
          'application/json': "## cortex-rest-gateway: CORS on the gateway's own answers\n{}"
        }
      }) === true,
    notOurs: {
      "a person's, customised": f =>
        call(f, {
          responseType: 'DEFAULT_4XX',
          defaultResponse: false,
          responseParameters: {},
          responseTemplates: { 'application/json': '{"error":$context.error.messageString}' }
        }) === true,
      "AWS's default": f =>
        call(f, {
          responseType: 'DEFAULT_4XX',
          defaultResponse: true,
          responseParameters: {},
          responseTemplates: { 'application/json': '{"message":$context.error.messageString}' }
        }) === true
    }
  },
  'core/choose-api#keptApi': {
    ours: f => call(f, [api(OURS)], 'cortex', OWNER) !== undefined,
    notOurs: {
      "another repository's": f => call(f, [api(ANOTHER_REPOSITORY)], 'cortex', OWNER) !== undefined,
      "a person's": f => call(f, [api(A_PERSONS)], 'cortex', OWNER) !== undefined
    }
  },
  'features/authorizer/plan#isOurAuthorizer': {
    ours: f => call(f, { name: 'cortex-rest-gateway-lambda-token-0a1b2c3d' }) === true,
    notOurs: {
      "a person's": f => call(f, { name: 'my-authorizer' }) === true,
      "a person's, named after ours": f =>
        call(f, { name: 'cortex-rest-gateway-lambda-token-0a1b2c3d-2' }) === true,
      'an older name of ours, unreleased': f =>
        call(f, { name: 'cortex-rest-gateway-lambda-token' }) === true,
      "a person's, with our prefix": f => call(f, { name: 'cortex-rest-gateway-cognito' }) === true
    }
  },
  'features/authorizer/plan#isOurStatement': {
    ours: f => call(f, 'cortex-rest-gateway-a1b2c3d4e5', 'a1b2c3d4e5') === true,
    notOurs: {
      "a person's": f => call(f, 'apigateway-invoke', 'a1b2c3d4e5') === true,
      "another gateway's": f => call(f, 'cortex-rest-gateway-zzzzzzzzzz', 'a1b2c3d4e5') === true
    }
  }
}
/** Rules named for the sweep that need a whole discovery to pick anything: they only have to be there. */
const THERE_ONLY: Rule[] = ['core/links#spareLinks', 'features/domain/plan-sweep#sweepDomains']
/** Rules of a part this one does not own, not exported: declared in their module, held to above all the same. */
const NOT_EXPORTED: Rule[] = ['features/settings/plan-policy#isMarked']

const rules = (kind: (typeof KINDS)[number]): Rule[] => {
  const o = OWNERSHIP[kind]
  return [...o.decidedBy, ...(o.sweptBy ? [o.sweptBy] : [])]
}
const named = [...new Set(KINDS.flatMap(rules))]

async function resolve(rule: Rule): Promise<Fn | undefined> {
  const [module, name] = rule.split('#')
  const exports = (await import(`../src/${module}.js`)) as Record<string, unknown>
  return exports[name] as Fn | undefined
}

describe('the model of "ours"', () => {
  it('has an entry for every kind of resource the action touches', () => {
    expect([...KINDS]).toEqual([
      'rest-api',
      'stage',
      'vpc-link',
      'api-settings',
      'stage-settings',
      'policy-statement',
      'usage-plan',
      'api-key',
      'custom-domain',
      'base-path-mapping',
      'dns-record',
      'gateway-response',
      'authorizer',
      'lambda-permission'
    ])
    expect(Object.keys(OWNERSHIP).sort()).toEqual([...KINDS].sort())
    for (const kind of KINDS) {
      const o = OWNERSHIP[kind]
      for (const text of [o.foundBy, o.ours, o.keeps, o.made, o.changed, o.deleted, o.sweep]) {
        expect(text.trim()).not.toBe('')
      }
      expect(o.decidedBy.length).toBeGreaterThan(0)
    }
  })

  it('says how each kind is known to be ours', () => {
    expect(Object.fromEntries(KINDS.map(k => [k, OWNERSHIP[k].oursBy]))).toEqual({
      'rest-api': 'tags',
      stage: 'tags',
      'vpc-link': 'tags',
      'api-settings': 'recorded-in-tag',
      'stage-settings': 'recorded-in-tag',
      'policy-statement': 'statement-id',
      'usage-plan': 'tags',
      'api-key': 'tags',
      'custom-domain': 'tags',
      'base-path-mapping': 'recorded-in-tag',
      'dns-record': 'txt-mark',
      'gateway-response': 'template-mark',
      authorizer: 'name',
      'lambda-permission': 'statement-id'
    })
  })

  it.each(named)('names %s, which is in the code', async rule => {
    const f = await resolve(rule)
    if (NOT_EXPORTED.includes(rule)) {
      const [module, name] = rule.split('#')
      const text = readFileSync(join(ROOT, 'src', `${module}.ts`), 'utf8')
      expect(text).toMatch(new RegExp(`\\b(const|function) ${name}\\b`))
    } else {
      expect(typeof f).toBe('function')
    }
    expect(THERE_ONLY.includes(rule) || rule in CASES).toBe(true)
  })

  it.each(named.filter(r => !THERE_ONLY.includes(r)))(
    '%s takes a resource of ours as ours, and no other',
    async rule => {
      const f: Fn = (await resolve(rule)) ?? (() => undefined)
      const c = CASES[rule]
      expect(c.ours(f)).toBe(true)
      expect(Object.keys(c.notOurs).length).toBeGreaterThan(0)
      const accepted = Object.entries(c.notOurs)
        .filter(([, refuse]) => refuse(f))
        .map(([what]) => what)
      expect(accepted).toEqual([])
    }
  )
})
