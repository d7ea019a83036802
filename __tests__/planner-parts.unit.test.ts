/**
 * The planner's parts through the planner's module (src/core/plan.ts): the methods the gateway
 * wants, when a method AWS holds is taken as that one, the deployment's label, and which API of a
 * name is ours to keep. Expected values are the README's contract and AWS's shapes, written out.
 */
import { describe, expect, it } from '@jest/globals'
import { ActionError } from '../src/base/errors.js'
import { deploymentDescription, desiredResources } from '../src/core/desired.js'
import { methodChanges } from '../src/core/diff.js'
import { chooseApi, chooseOwnedApi, diffResources, methodMatches, type Step } from '../src/core/plan.js'
import {
  NEW_AUTHORIZER,
  NEW_VPC_LINK,
  type MethodState,
  type ResourceState,
  type RestApiSummary
} from '../src/model/model.js'
import { CORS_HEADERS, CORS_PREFLIGHT } from './support/gateway.js'

const DNS = 'cortex-1.elb.us-west-2.amazonaws.com'
const base = { dnsName: DNS, authorization: 'NONE' as const, cors: false }
/** How the integrations name the cluster: by stage variables, the stage saying which (README). */
const HOST = '${stageVariables.cortexHost}'
const LINK = '${stageVariables.cortexVpcLink}'

/** ANY on a path, proxied over HTTP to the load balancer, as the README describes it. */
const anyMethod = (
  path: '/' | '/{proxy+}',
  more: Record<string, unknown> = {},
  integration = {},
  host = HOST
) => ({
  httpMethod: 'ANY',
  authorizationType: 'NONE',
  requestParameters: path === '/' ? undefined : { 'method.request.path.proxy': true },
  methodResponses: [],
  ...more,
  integration: {
    type: 'HTTP_PROXY',
    integrationHttpMethod: 'ANY',
    uri: path === '/' ? `http://${host}/` : `http://${host}/{proxy}`,
    connectionType: 'INTERNET',
    requestParameters:
      path === '/' ? undefined : { 'integration.request.path.proxy': 'method.request.path.proxy' },
    passthroughBehavior: 'WHEN_NO_MATCH',
    responses: [],
    ...integration
  }
})

const OPTIONS = CORS_PREFLIGHT

describe('desiredResources', () => {
  it('wants ANY on / and on /{proxy+}, proxied to the load balancer over the internet', () => {
    expect(desiredResources(base)).toEqual([
      { path: '/', methods: [anyMethod('/')] },
      { path: '/{proxy+}', methods: [anyMethod('/{proxy+}')] }
    ])
  })

  it('adds the console CORS preflight (OPTIONS, MOCK, open) with cors, whatever the authorization', () => {
    expect(desiredResources({ ...base, cors: true, authorization: 'AWS_IAM' })).toEqual([
      { path: '/', methods: [anyMethod('/', { authorizationType: 'AWS_IAM' }), OPTIONS] },
      { path: '/{proxy+}', methods: [anyMethod('/{proxy+}', { authorizationType: 'AWS_IAM' }), OPTIONS] }
    ])
  })

  it('goes through a v1 VPC link by stage variable, a v2 link by id with its target, and sets a timeout', () => {
    const v1 = desiredResources({ ...base, vpcLink: { id: 'abc123', version: 'v1', targetArn: 'arn:nlb' } })
    expect(v1[0].methods[0].integration).toEqual(
      anyMethod('/', {}, { connectionType: 'VPC_LINK', connectionId: LINK }).integration
    )
    const v2 = desiredResources({
      ...base,
      vpcLink: { id: 'v2link', version: 'v2', targetArn: 'arn:alb' },
      timeoutMs: 10_000,
      apiKeyRequired: true
    })
    expect(v2[1].methods[0]).toEqual(
      anyMethod(
        '/{proxy+}',
        { apiKeyRequired: true },
        {
          connectionType: 'VPC_LINK',
          connectionId: 'v2link',
          integrationTarget: 'arn:alb',
          timeoutInMillis: 10_000
        },
        // a v2 link's target is literal: so are its integrations (AWS takes no stage variable for it)
        DNS
      )
    )
    expect(desiredResources({ ...base, timeoutMs: 29_000 })[0].methods[0].integration).not.toHaveProperty(
      'timeoutInMillis'
    )
    expect(desiredResources({ ...base, apiKeyRequired: false })[0].methods[0]).not.toHaveProperty(
      'apiKeyRequired'
    )
  })
})

/** ANY on /{proxy+} as GetResources with embed=methods reads it back from AWS. */
const heldProxy = (): MethodState => ({
  authorizationType: 'NONE',
  apiKeyRequired: false,
  requestParameters: { 'method.request.path.proxy': true },
  responses: {},
  integration: {
    type: 'HTTP_PROXY',
    httpMethod: 'ANY',
    uri: `http://${HOST}/{proxy}`,
    connectionType: 'INTERNET',
    requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
    timeoutInMillis: 29_000,
    responses: {}
  }
})
const heldOptions = (): MethodState => ({
  authorizationType: 'NONE',
  responses: {
    '200': {
      'method.response.header.Access-Control-Allow-Headers': false,
      'method.response.header.Access-Control-Allow-Methods': false,
      'method.response.header.Access-Control-Allow-Origin': false
    }
  },
  integration: {
    type: 'MOCK',
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    responses: { '200': { ...CORS_HEADERS } }
  }
})

describe('methodMatches: what AWS holds taken as the method wanted', () => {
  const wantProxy = () => desiredResources(base)[1].methods[0]
  const wantOptions = () => desiredResources({ ...base, cors: true })[1].methods[1]

  it('takes the methods as AWS returns them, with the defaults AWS fills in', () => {
    expect(methodMatches(heldProxy(), wantProxy())).toBe(true)
    expect(methodMatches(heldOptions(), wantOptions())).toBe(true)
    const bare = heldProxy()
    delete bare.authorizationType
    delete bare.apiKeyRequired
    delete bare.integration!.connectionType
    delete bare.integration!.timeoutInMillis
    expect(methodMatches(bare, wantProxy())).toBe(true)
  })

  it.each<[string, (m: MethodState) => void]>([
    ['another authorization', m => (m.authorizationType = 'AWS_IAM')],
    ['a key required', m => (m.apiKeyRequired = true)],
    ['another method parameter', m => (m.requestParameters = { 'method.request.path.other': true })],
    ['no method parameters', m => (m.requestParameters = undefined)],
    ['no integration', m => (m.integration = undefined)],
    ['another integration type', m => (m.integration!.type = 'HTTP')],
    ['another integration method', m => (m.integration!.httpMethod = 'GET')],
    ['another target', m => (m.integration!.uri = 'http://other.example/{proxy}')],
    ['a VPC link', m => (m.integration!.connectionType = 'VPC_LINK')],
    ['a v2 target', m => (m.integration!.integrationTarget = 'arn:alb')],
    ['another integration parameter', m => (m.integration!.requestParameters = {})],
    ['a request template', m => (m.integration!.requestTemplates = { 'application/json': '{}' })],
    ['a timeout of 10 s', m => (m.integration!.timeoutInMillis = 10_000)]
  ])('sees %s on ANY', (_what, change) => {
    const held = heldProxy()
    change(held)
    expect(methodMatches(held, wantProxy())).toBe(false)
  })

  it('sees a VPC link other than the one wanted, and a timeout other than the one wanted', () => {
    const want = desiredResources({ ...base, vpcLink: { id: 'abc123', version: 'v1', targetArn: 'x' } })[1]
      .methods[0]
    const held = heldProxy()
    held.integration!.connectionType = 'VPC_LINK'
    held.integration!.connectionId = LINK
    expect(methodMatches(held, want)).toBe(true)
    // a gateway made before the stage variables: its link named literally, replaced once
    held.integration!.connectionId = 'abc123'
    expect(methodMatches(held, want)).toBe(false)
    const v2 = desiredResources({ ...base, vpcLink: { id: 'abc123', version: 'v2', targetArn: 'x' } })[1]
      .methods[0]
    const heldV2 = heldProxy()
    Object.assign(heldV2.integration!, {
      uri: `http://${DNS}/{proxy}`,
      connectionType: 'VPC_LINK',
      connectionId: 'abc123',
      integrationTarget: 'x'
    })
    expect(methodMatches(heldV2, v2)).toBe(true)
    heldV2.integration!.connectionId = 'other1'
    expect(methodMatches(heldV2, v2)).toBe(false)
    const timed = desiredResources({ ...base, timeoutMs: 10_000 })[1].methods[0]
    expect(methodMatches(heldProxy(), timed)).toBe(false)
  })

  it.each<[string, (m: MethodState) => void]>([
    ['no method response', m => (m.responses = {})],
    [
      'a method response without a header',
      m => delete m.responses['200']['method.response.header.Access-Control-Allow-Origin']
    ],
    ['no integration response', m => (m.integration!.responses = {})],
    [
      'another allowed origin',
      m => (m.integration!.responses['200']['method.response.header.Access-Control-Allow-Origin'] = "'x'")
    ],
    ['another request template', m => (m.integration!.requestTemplates = { 'application/json': '{}' })]
  ])('sees %s on OPTIONS', (_what, change) => {
    const held = heldOptions()
    change(held)
    expect(methodMatches(held, wantOptions())).toBe(false)
  })
})

describe('methodMatches: an authorizer, its scopes and streaming', () => {
  const want = (more: object) => desiredResources({ ...base, ...more })[1].methods[0]
  const cognito = {
    authorization: 'COGNITO_USER_POOLS',
    authorizer: { authorizerId: 'auth1', scopes: ['b', 'a'] }
  }
  const held = (more: Partial<MethodState> = {}): MethodState => ({
    ...heldProxy(),
    authorizationType: 'COGNITO_USER_POOLS',
    authorizerId: 'auth1',
    authorizationScopes: ['a', 'b'],
    ...more
  })

  it('takes the authorizer and the scopes held, in any order, as the ones wanted', () => {
    expect(methodMatches(held(), want(cognito))).toBe(true)
  })

  it.each<[string, Partial<MethodState>]>([
    ['another authorizer', { authorizerId: 'auth2' }],
    ['no authorizer', { authorizerId: undefined }],
    ['a scope fewer', { authorizationScopes: ['a'] }],
    ['a scope more', { authorizationScopes: ['a', 'b', 'c'] }],
    ['another scope', { authorizationScopes: ['a', 'c'] }],
    ['no scopes', { authorizationScopes: undefined }]
  ])('sees %s', (_what, more) => {
    expect(methodMatches(held(more), want(cognito))).toBe(false)
  })

  it('sees an authorizer yet to be made as none held, and scopes held where none are wanted', () => {
    const fresh = { ...cognito, authorizer: { authorizerId: NEW_AUTHORIZER, scopes: ['a', 'b'] } }
    expect(methodMatches(held(), want(fresh))).toBe(false)
    expect(methodMatches(held(), want({ ...cognito, authorizer: { authorizerId: 'auth1' } }))).toBe(false)
  })

  it('sees streaming asked for and not held, held and no longer asked for; absent is BUFFERED', () => {
    const streamed = heldProxy()
    streamed.integration!.responseTransferMode = 'STREAM'
    expect(methodMatches(streamed, want({ streaming: true }))).toBe(true)
    expect(methodMatches(heldProxy(), want({ streaming: true }))).toBe(false)
    expect(methodMatches(streamed, want({}))).toBe(false)
    const buffered = heldProxy()
    buffered.integration!.responseTransferMode = 'BUFFERED'
    expect(methodMatches(buffered, want({}))).toBe(true)
  })
})

describe('methodMatches: the preflight of several origins, by its template', () => {
  const A = 'https://a.example.com'
  const B = 'https://b.example.com'
  const TEMPLATE =
    "#set($origin = $input.params().header.get('Origin'))\n" +
    `#if($origin == "${A}" || $origin == "${B}")` +
    '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end'
  const want = (origins: string[]) =>
    desiredResources({ ...base, cors: true, corsOrigins: origins })[1].methods[1]
  /** The preflight of A and B as GetResources reads it back. */
  const held = (templates?: Record<string, string>): MethodState => {
    const m = heldOptions()
    m.responses['200']['method.response.header.Vary'] = false
    m.integration!.responses['200'] = {
      ...CORS_HEADERS,
      'method.response.header.Access-Control-Allow-Origin': `'${A}'`,
      'method.response.header.Vary': "'Origin'"
    }
    if (templates) m.integration!.responseTemplates = { '200': templates }
    return m
  }

  it('takes the template held as the one wanted, and sees one for other origins, or none', () => {
    expect(methodMatches(held({ 'application/json': TEMPLATE }), want([A, B]))).toBe(true)
    expect(
      methodMatches(held({ 'application/json': TEMPLATE.replace(B, 'https://c.example.com') }), want([A, B]))
    ).toBe(false)
    expect(methodMatches(held({}), want([A, B]))).toBe(false)
    expect(methodMatches(held(), want([A, B]))).toBe(false)
  })
})

describe('methodChanges: what a method replaced changes, in words', () => {
  const want = (more: object = {}) => desiredResources({ ...base, ...more })[1].methods[0]
  const URI = `http://${HOST}/{proxy}`

  it('names nothing for a method held as wanted, AWS defaults left out', () => {
    const bare = heldProxy()
    delete bare.authorizationType
    delete bare.integration!.timeoutInMillis
    expect(methodChanges(bare, want())).toEqual([])
  })

  it.each<[string, Partial<MethodState>, object, [string, string, string][]]>([
    ['authorization', { authorizationType: 'AWS_IAM' }, {}, [['authorization', 'AWS_IAM', 'NONE']]],
    [
      'authorization, from none held',
      { authorizationType: undefined },
      { authorization: 'AWS_IAM' },
      [['authorization', 'NONE', 'AWS_IAM']]
    ],
    [
      'a Cognito authorizer yet to be made, with its scopes',
      {},
      {
        authorization: 'COGNITO_USER_POOLS',
        authorizer: { authorizerId: NEW_AUTHORIZER, scopes: ['read', 'write'] }
      },
      [
        ['authorization', 'NONE', 'COGNITO_USER_POOLS'],
        ['authorizer', 'none', 'a new authorizer'],
        ['scopes', 'none', 'read write']
      ]
    ],
    [
      'another authorizer, the scopes dropped',
      { authorizationType: 'CUSTOM', authorizerId: 'auth1', authorizationScopes: ['read'] },
      { authorization: 'CUSTOM', authorizer: { authorizerId: 'auth2' } },
      [
        ['authorizer', 'auth1', 'auth2'],
        ['scopes', 'read', 'none']
      ]
    ],
    ['an API key', { apiKeyRequired: true }, {}, [['API key', 'required', 'not required']]],
    ['an API key asked for', {}, { apiKeyRequired: true }, [['API key', 'not required', 'required']]],
    ['no integration held', { integration: undefined }, {}, [['integration', 'none', `HTTP_PROXY ${URI}`]]],
    [
      'where it leads',
      { integration: { ...heldProxy().integration!, uri: 'http://other.example/{proxy}' } },
      {},
      [['integration', 'HTTP_PROXY http://other.example/{proxy}', `HTTP_PROXY ${URI}`]]
    ],
    [
      'a v2 VPC link yet to be made (its integration literal)',
      {},
      { vpcLink: { id: NEW_VPC_LINK, version: 'v2', targetArn: 'arn:alb' } },
      [
        ['integration', `HTTP_PROXY ${URI}`, `HTTP_PROXY http://${DNS}/{proxy}`],
        ['VPC link', 'none', 'a new VPC link']
      ]
    ],
    [
      'a v1 VPC link, by stage variable',
      {},
      { vpcLink: { id: NEW_VPC_LINK, version: 'v1', targetArn: 'arn:nlb' } },
      [['VPC link', 'none', LINK]]
    ],
    [
      'a VPC link named literally, now by stage variable',
      { integration: { ...heldProxy().integration!, connectionType: 'VPC_LINK', connectionId: 'abc123' } },
      { vpcLink: { id: 'abc123', version: 'v1', targetArn: 'arn:nlb' } },
      [['VPC link', 'abc123', LINK]]
    ],
    ['the timeout', {}, { timeoutMs: 10_000 }, [['timeout', '29000 ms', '10000 ms']]],
    [
      'the timeout, from none held',
      { integration: { ...heldProxy().integration!, timeoutInMillis: undefined } },
      { timeoutMs: 5_000 },
      [['timeout', '29000 ms', '5000 ms']]
    ]
  ])('names %s', (_what, held, more, changes) => {
    const have = { ...heldProxy(), ...held }
    expect(methodChanges(have, want(more))).toEqual(changes.map(([what, from, to]) => ({ what, from, to })))
  })
})

describe('diffResources', () => {
  const ops = (steps: Step[]) =>
    steps.map(s => `${s.op} ${'path' in s ? s.path : ''}${'httpMethod' in s ? ` ${s.httpMethod}` : ''}`)

  it('makes the proxy resource under / where it is missing, and puts each method', () => {
    const steps = diffResources(desiredResources(base), [{ id: 'r', path: '/', methods: {} }])
    expect(steps[0]).toEqual({ op: 'put-method', path: '/', method: anyMethod('/') })
    expect(steps[1]).toEqual({
      op: 'create-resource',
      path: '/{proxy+}',
      parentPath: '/',
      pathPart: '{proxy+}'
    })
    expect(ops(steps)).toEqual(['put-method /', 'create-resource /{proxy+}', 'put-method /{proxy+}'])
  })

  it('replaces a method that differs (delete, put), removes OPTIONS without cors, keeps what a person added', () => {
    const held: ResourceState[] = [
      { id: 'r', path: '/', methods: { GET: heldProxy(), OPTIONS: heldOptions() } },
      { id: 'p', path: '/{proxy+}', methods: { ANY: { ...heldProxy(), authorizationType: 'AWS_IAM' } } }
    ]
    expect(ops(diffResources(desiredResources(base), held))).toEqual([
      'put-method /',
      'delete-method / OPTIONS',
      'delete-method /{proxy+} ANY',
      'put-method /{proxy+}'
    ])
  })

  it('plans nothing where AWS holds what is wanted', () => {
    const held: ResourceState[] = [
      { id: 'p', path: '/{proxy+}', methods: { ANY: heldProxy(), OPTIONS: heldOptions() } }
    ]
    const wanted = desiredResources({ ...base, cors: true }).slice(1)
    expect(diffResources(wanted, held)).toEqual([])
  })
})

describe('deploymentDescription', () => {
  // sha256 of the JSON with sorted keys and no undefined values, its first 16 hex digits
  it('labels a deployment with the hash of what it deploys, whatever the order of keys', () => {
    expect(deploymentDescription([])).toBe('cortex-rest-gateway 4f53cda18c2baa0c')
    expect(deploymentDescription([{ path: '/', methods: [] }])).toBe('cortex-rest-gateway 6a5e17f038432677')
    const reordered = [{ methods: [], path: '/', extra: undefined }] as unknown as Parameters<
      typeof deploymentDescription
    >[0]
    expect(deploymentDescription(reordered)).toBe('cortex-rest-gateway 6a5e17f038432677')
  })

  it('counts the API settings a deployment puts live, where any are set', () => {
    expect(deploymentDescription([{ path: '/', methods: [] }], { b: 1 })).toBe(
      'cortex-rest-gateway 75a5f4692025395b'
    )
    expect(deploymentDescription([{ path: '/', methods: [] }], undefined)).toBe(
      'cortex-rest-gateway 6a5e17f038432677'
    )
  })
})

describe('choosing our API', () => {
  const OURS = {
    'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
    'cortex-rest-gateway:repository': 'org/repo'
  }
  const api = (id: string, created?: number, tags: Record<string, string> = OURS): RestApiSummary => ({
    id,
    name: 'cortex',
    tags,
    endpointTypes: ['REGIONAL'],
    ...(created === undefined ? {} : { createdDate: new Date(created * 1000) })
  })
  const config = { apiName: 'cortex', owner: 'org/repo', adopt: false, region: 'us-west-2' }

  it('keeps the oldest, then the lowest id; an API without a date counts as oldest', () => {
    expect(chooseOwnedApi([api('b', 2), api('a', 3), api('c', 1)])?.id).toBe('c')
    expect(chooseOwnedApi([api('b', 1), api('a', 1), api('c', 1)])?.id).toBe('a')
    expect(chooseOwnedApi([api('a', 1), api('b', 1)])?.id).toBe('a')
    expect(chooseOwnedApi([api('b', 5), api('z')])?.id).toBe('z')
    expect(chooseOwnedApi([api('z'), api('b', 5)])?.id).toBe('z')
    expect(chooseOwnedApi([])).toBeUndefined()
  })

  it.each([
    ['a1', 'b2', 'c3'],
    ['a1', 'c3', 'b2'],
    ['b2', 'a1', 'c3'],
    ['b2', 'c3', 'a1'],
    ['c3', 'a1', 'b2'],
    ['c3', 'b2', 'a1']
  ])('keeps a1 of APIs made in the same second, listed %s %s %s', (...ids) => {
    expect(chooseOwnedApi(ids.map(id => api(id, 7)))?.id).toBe('a1')
  })

  it('keeps none of ours of another name that a listing holds', () => {
    expect(chooseApi(config, [{ ...api('n1', 0), name: 'cortex-2' }, api('o1', 9)])?.id).toBe('o1')
    expect(chooseApi(config, [{ ...api('n1', 0), name: 'cortex-2' }])).toBeUndefined()
  })

  it('takes ours before another repository’s, and none where the name is free', () => {
    expect(
      chooseApi(config, [api('f1', 0, { ...OURS, 'cortex-rest-gateway:repository': 'x/y' }), api('o1', 9)])
        ?.id
    ).toBe('o1')
    expect(chooseApi(config, [])).toBeUndefined()
  })

  it('refuses a name taken by an API that is not ours, naming it and whose it is', () => {
    const other = api('f1', 0, { ...OURS, 'cortex-rest-gateway:repository': 'x/y' })
    expect(() => chooseApi(config, [other, api('h1', 0, {})])).toThrow(
      new ActionError(
        'A REST API named "cortex" already exists in us-west-2: f1 (made by this action from repository x/y), ' +
          'h1 (not made by this action). The action changes only what this repository made: choose another ' +
          "'api-name', or set 'adopt: true' to take it over (it is tagged as this repository's and updated in " +
          'place: same id, same invoke URL)'
      )
    )
  })

  it('adopts the one API of the name that is not ours, and refuses to choose between two', () => {
    const adopt = { ...config, adopt: true }
    expect(chooseApi(adopt, [api('h1', 0, {})])?.id).toBe('h1')
    expect(() => chooseApi(adopt, [api('h1', 0, {}), api('h2', 0, {})])).toThrow(
      new ActionError(
        '\'adopt\' cannot choose: 2 REST APIs named "cortex" exist in us-west-2 (h1 (not made by this action), ' +
          'h2 (not made by this action)): delete or rename all but the one to take over'
      )
    )
  })
})
