/** At the door, the pure parts: inputs read and refused, the planners' answers written out, the patches AWS takes. */
import { describe, expect, it } from '@jest/globals'
import { mockClient } from 'aws-sdk-client-mock'
import { APIGatewayClient, UpdateDomainNameCommand } from '@aws-sdk/client-api-gateway'
import { InputError } from '../src/base/errors.js'
import type { CreateConfig } from '../src/config/inputs.js'
import { setDomainSecurityPolicy } from '../src/features/domain/aws-domains.js'
import { planDomain } from '../src/features/domain/plan.js'
import { planApiSettings, planStageSettings } from '../src/features/settings/plan.js'
import { desiredResources } from '../src/core/desired.js'
import { methodMatches } from '../src/core/diff.js'
import { planCorsResponses } from '../src/features/cors/plan.js'
import type {
  CustomDomain,
  GatewayResponseState,
  MethodState,
  RestApiSummary,
  StageState
} from '../src/model/model.js'
import { NO_DOMAINS } from '../src/model/model.js'
import { memoryLog } from '../src/report/log.js'
import { configFrom } from './support/inputs.js'

const LB = 'cortex-1.elb.us-west-2.amazonaws.com'
const CERT = 'arn:aws:acm:us-west-2:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666'
const EDGE_CERT = CERT.replace('us-west-2', 'us-east-1')
const DOMAIN = { 'domain-name': 'api.example.com', 'certificate-arn': CERT }
const OURS = {
  'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
  'cortex-rest-gateway:repository': 'octo/app'
}

const create = (inputs: Record<string, string>) =>
  configFrom({ 'load-balancer': LB, ...inputs }, { GITHUB_REPOSITORY: 'octo/app' }) as CreateConfig

function refusal(inputs: Record<string, string>): string {
  try {
    create(inputs)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as Error).message
  }
  throw new Error('not refused')
}

const fakeContext = (client: APIGatewayClient) =>
  ({
    region: 'us-west-2',
    apigw: client,
    log: memoryLog(),
    deadline: Date.now() + 10_000,
    now: Date.now,
    sleep: async () => undefined,
    random: Math.random,
    calls: []
  }) as never

describe('security-policy', () => {
  it.each([
    [{}, 'TLS_1_2'],
    [{ 'security-policy': 'tls_1_0' }, 'TLS_1_0'],
    [{ 'security-policy': 'SecurityPolicy_TLS13_1_3_2025_09' }, 'SecurityPolicy_TLS13_1_3_2025_09'],
    [
      {
        'security-policy': 'SecurityPolicy_TLS13_2025_EDGE',
        'endpoint-type': 'EDGE',
        'certificate-arn': EDGE_CERT
      },
      'SecurityPolicy_TLS13_2025_EDGE'
    ]
  ])('reads %j as %s', (inputs, policy) => {
    expect(create({ ...DOMAIN, ...inputs }).domain?.securityPolicy).toBe(policy)
  })

  it.each([
    [{ ...DOMAIN, 'security-policy': 'TLS_1_3' }, '\'security-policy\': "TLS_1_3" is not a TLS policy'],
    [
      { ...DOMAIN, 'security-policy': 'SecurityPolicy_TLS13_2025_EDGE' },
      '\'security-policy\': "SecurityPolicy_TLS13_2025_EDGE" is for EDGE custom domains, and this one is REGIONAL'
    ],
    [
      {
        ...DOMAIN,
        'security-policy': 'SecurityPolicy_TLS13_1_3_2025_09',
        'endpoint-type': 'EDGE',
        'certificate-arn': EDGE_CERT
      },
      'is not for EDGE custom domains: use an enhanced policy ending in _EDGE'
    ],
    [
      { 'security-policy': 'TLS_1_0' },
      "Input 'security-policy': needs 'domain-name': the custom domain it is for"
    ],
    [
      { 'disable-execute-api-endpoint': 'true' },
      "Input 'disable-execute-api-endpoint': needs 'domain-name': with the execute-api endpoint off"
    ],
    [
      { ...DOMAIN, 'disable-execute-api-endpoint': 'yes' },
      '\'disable-execute-api-endpoint\': "yes" is not a boolean'
    ]
  ])('refuses %j', (inputs, message) => {
    expect(refusal(inputs)).toContain(message)
  })

  it("takes the action's default without a domain (action.yml passes it to every run)", () => {
    expect(create({ 'security-policy': 'TLS_1_2' }).domain).toBeUndefined()
  })
})

describe("the domain's TLS policy in the plan", () => {
  const want = { name: 'api.example.com', certificateArn: CERT, basePath: '', securityPolicy: 'TLS_1_0' }
  const domain = (more: Partial<CustomDomain>): CustomDomain => ({
    name: want.name,
    endpointType: 'REGIONAL',
    certificateArn: CERT,
    target: 'd-abc.execute-api.us-west-2.amazonaws.com',
    targetZoneId: 'Z2OJLYMUO9EFXC',
    tags: OURS,
    ...more
  })
  const plan = (found: CustomDomain | undefined, wanted = want) =>
    planDomain({
      owner: 'octo/app',
      region: 'us-west-2',
      found: {
        ...NO_DOMAINS,
        domains: new Map([
          [
            wanted.name,
            {
              name: wanted.name,
              domain: found,
              mappings: [{ basePath: '', restApiId: 'api1', stage: 'dev' }]
            }
          ]
        ])
      },
      apiIds: ['api1'],
      twinIds: [],
      want: wanted,
      endpointType: 'REGIONAL',
      stage: 'dev',
      apiTags: { 'cortex-rest-gateway:domain-name': wanted.name, 'cortex-rest-gateway:base-path': '/' },
      tags: OURS
    })

  it('makes a new domain with it', () => {
    const steps = plan(undefined).steps
    expect(steps.find(s => s.op === 'create-domain')).toEqual({
      op: 'create-domain',
      name: 'api.example.com',
      endpointType: 'REGIONAL',
      certificateArn: CERT,
      securityPolicy: 'TLS_1_0',
      tags: OURS
    })
  })

  it('changes it in place, and writes nothing when it is the one asked for', () => {
    expect(plan(domain({ securityPolicy: 'TLS_1_2' })).steps).toEqual([
      {
        op: 'set-domain-security-policy',
        name: 'api.example.com',
        from: 'TLS_1_2',
        securityPolicy: 'TLS_1_0'
      }
    ])
    expect(plan(domain({ securityPolicy: 'TLS_1_0' })).steps).toEqual([])
  })

  it('reads a domain that names no policy as TLS_1_2, the one it was made with', () => {
    expect(plan(domain({}), { ...want, securityPolicy: 'TLS_1_2' }).steps).toEqual([])
  })

  it('patches the policy, with STRICT access for an enhanced one (moto cannot update a domain)', async () => {
    const client = new APIGatewayClient({ region: 'us-west-2' })
    const mock = mockClient(client)
    mock.on(UpdateDomainNameCommand).resolves({})
    await setDomainSecurityPolicy(fakeContext(client), 'api.example.com', 'TLS_1_0')
    await setDomainSecurityPolicy(fakeContext(client), 'api.example.com', 'SecurityPolicy_TLS13_1_3_2025_09')
    expect(mock.commandCalls(UpdateDomainNameCommand).map(c => c.args[0].input)).toEqual([
      {
        domainName: 'api.example.com',
        patchOperations: [{ op: 'replace', path: '/securityPolicy', value: 'TLS_1_0' }]
      },
      {
        domainName: 'api.example.com',
        patchOperations: [
          { op: 'replace', path: '/securityPolicy', value: 'SecurityPolicy_TLS13_1_3_2025_09' },
          { op: 'replace', path: '/endpointAccessMode', value: 'STRICT' }
        ]
      }
    ])
  })
})

describe('the execute-api endpoint in the API settings plan', () => {
  const settings = (off: boolean) =>
    create(off ? { ...DOMAIN, 'disable-execute-api-endpoint': 'true' } : DOMAIN).settings
  const api = (more: Partial<RestApiSummary>): RestApiSummary => ({
    id: 'api1',
    name: 'cortex',
    tags: OURS,
    endpointTypes: ['REGIONAL'],
    ...more
  })
  const TAG = 'cortex-rest-gateway:api-settings'

  it('makes a new API with it off, and records that the action turned it off', () => {
    const part = planApiSettings(settings(true), 'REGIONAL', undefined)
    expect(part.create).toEqual({ binaryMediaTypes: [], vpcEndpointIds: [], disableExecuteApiEndpoint: true })
    expect(part.apiTag).toEqual({ [TAG]: 'no-execute-api' })
    expect(part.deployed).toEqual({ binaryMediaTypes: [], noExecuteApi: true })
    expect(part.steps).toEqual([])
  })

  it('turns it off on an API that is there: recorded first, then patched, then deployed', () => {
    const part = planApiSettings(settings(true), 'REGIONAL', api({ disableExecuteApiEndpoint: false }))
    expect(part.steps).toEqual([
      { op: 'tag-api', tags: { [TAG]: 'no-execute-api' } },
      {
        op: 'update-api',
        patches: [{ op: 'replace', path: '/disableExecuteApiEndpoint', value: 'true' }],
        changes: [{ what: 'execute-api endpoint', from: 'on', to: 'off' }]
      }
    ])
    expect(part.needsDeploy).toBe(true)
  })

  it('turns it on again when the input goes, where the action turned it off, and drops the record', () => {
    const part = planApiSettings(
      settings(false),
      'REGIONAL',
      api({ disableExecuteApiEndpoint: true, tags: { ...OURS, [TAG]: 'no-execute-api' } })
    )
    expect(part.steps).toEqual([
      {
        op: 'update-api',
        patches: [{ op: 'replace', path: '/disableExecuteApiEndpoint', value: 'false' }],
        changes: [{ what: 'execute-api endpoint', from: 'off', to: 'on' }]
      },
      { op: 'untag-api', keys: [TAG] }
    ])
    expect(part.needsDeploy).toBe(true)
  })

  it('leaves it off where a person turned it off, and writes nothing when it is as asked', () => {
    const person = planApiSettings(settings(false), 'REGIONAL', api({ disableExecuteApiEndpoint: true }))
    expect([person.steps, person.needsDeploy]).toEqual([[], false])
    const same = planApiSettings(
      settings(true),
      'REGIONAL',
      api({ disableExecuteApiEndpoint: true, tags: { ...OURS, [TAG]: 'no-execute-api' } })
    )
    expect([same.steps, same.needsDeploy]).toEqual([[], false])
  })

  it('does not take as its own an endpoint a person turned off before the input asked for it', () => {
    // asked for, found off already, not recorded as the action's: nothing written, the record not taken
    const asked = planApiSettings(settings(true), 'REGIONAL', api({ disableExecuteApiEndpoint: true }))
    expect([asked.steps, asked.apiTag]).toEqual([[], {}])
  })
})

describe('response-streaming', () => {
  const desired = (streaming: boolean) =>
    desiredResources({ dnsName: 'lb', authorization: 'NONE', cors: true, streaming })
  const proxied = (streaming: boolean) => desired(streaming)[1].methods[0]

  it('streams the proxied integrations only: the CORS preflight (MOCK) stays as it is', () => {
    expect(desired(true).map(r => r.methods.map(m => m.integration.responseTransferMode))).toEqual([
      ['STREAM', undefined],
      ['STREAM', undefined]
    ])
    expect(desired(false).flatMap(r => r.methods.map(m => m.integration.responseTransferMode))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined
    ])
  })

  it('replaces a method whose mode differs; BUFFERED as AWS shows it, or absent, matches no streaming', () => {
    const state = (mode?: string): MethodState => ({
      authorizationType: 'NONE',
      requestParameters: { 'method.request.path.proxy': true },
      responses: {},
      integration: {
        type: 'HTTP_PROXY',
        httpMethod: 'ANY',
        // the integration names its cluster by the stage variable, as AWS shows it back
        uri: 'http://${stageVariables.cortexHost}/{proxy}',
        connectionType: 'INTERNET',
        requestParameters: { 'integration.request.path.proxy': 'method.request.path.proxy' },
        responseTransferMode: mode,
        responses: {}
      }
    })
    expect(methodMatches(state('STREAM'), proxied(true))).toBe(true)
    expect(methodMatches(state('BUFFERED'), proxied(true))).toBe(false)
    expect(methodMatches(state(undefined), proxied(true))).toBe(false)
    expect(methodMatches(state('STREAM'), proxied(false))).toBe(false)
    expect(methodMatches(state('BUFFERED'), proxied(false))).toBe(true)
    expect(methodMatches(state(undefined), proxied(false))).toBe(true)
  })

  it('lets a streamed integration wait up to 15 minutes, a buffered one 5', () => {
    expect(
      create({ 'response-streaming': 'true', 'integration-timeout': '900000' }).settings.integrationTimeoutMs
    ).toBe(900000)
    expect(refusal({ 'integration-timeout': '900000' })).toContain(
      "Input 'integration-timeout': must be a whole number of milliseconds from 50 to 300000 " +
        '(up to 900000 with streaming)'
    )
    expect(refusal({ 'response-streaming': 'true', 'integration-timeout': '900001' })).toContain(
      'from 50 to 900000'
    )
  })

  it('refuses to stream from an API a person set to compress its responses, before any write', () => {
    const settings = create({ 'response-streaming': 'true' }).settings
    const api: RestApiSummary = {
      id: 'api1',
      name: 'cortex',
      tags: OURS,
      endpointTypes: ['REGIONAL'],
      minimumCompressionSize: 1024
    }
    expect(() => planApiSettings(settings, 'REGIONAL', api)).toThrow(
      "Input 'response-streaming': API api1 compresses its responses (minimumCompressionSize 1024)"
    )
    expect(
      planApiSettings(settings, 'REGIONAL', { ...api, minimumCompressionSize: undefined }).steps
    ).toEqual([])
  })

  it('refuses to stream to a stage a person set to cache responses, before any write', () => {
    const settings = create({ 'response-streaming': 'true' }).settings
    const stage = (caching?: boolean): StageState => ({ name: 'dev', tags: {}, settings: {}, caching })
    expect(() => planStageSettings(settings, 'dev', stage(true))).toThrow(
      "Input 'response-streaming': stage dev caches responses (its cache cluster or a method's caching is on)"
    )
    expect(planStageSettings(settings, 'dev', stage(false)).steps).toEqual([])
    expect(planStageSettings(settings, 'dev', stage(undefined)).steps).toEqual([])
    // buffered responses may be cached
    expect(planStageSettings(create({}).settings, 'dev', stage(true)).steps).toEqual([])
  })
})

describe('cors-allow-origins', () => {
  it.each([
    [{}, ['*']],
    [{ 'cors-allow-origins': '*' }, ['*']],
    [{ 'cors-allow-origins': 'https://App.example.com' }, ['https://app.example.com']],
    [
      { 'cors-allow-origins': 'https://a.example.com,\nhttp://localhost:3000' },
      ['https://a.example.com', 'http://localhost:3000']
    ]
  ])('reads %j as %j', (inputs, origins) => {
    expect(create(inputs).settings.corsAllowOrigins).toEqual(origins)
  })

  it.each([
    [{ 'cors-allow-origins': '*, https://a.example.com' }, "'*' allows every origin: give it alone"],
    [
      { 'cors-allow-origins': 'https://a.example.com/app' },
      'is not an origin such as https://app.example.com'
    ],
    [{ 'cors-allow-origins': 'a.example.com' }, 'is not an origin'],
    [{ cors: 'false', 'cors-allow-origins': 'https://a.example.com' }, "needs 'cors'"]
  ])('refuses %j', (inputs, message) => {
    expect(refusal(inputs)).toContain(`Input 'cors-allow-origins': `)
    expect(refusal(inputs)).toContain(message)
  })

  it('names one origin in the preflight, or the caller of several when it is listed', () => {
    const preflight = (origins: string[]) =>
      desiredResources({ dnsName: 'lb', authorization: 'NONE', cors: true, corsOrigins: origins })[0]
        .methods[1]
    expect(preflight(['https://a.example.com']).integration.responses[0]).toEqual({
      statusCode: '200',
      responseParameters: {
        'method.response.header.Access-Control-Allow-Headers':
          "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
        'method.response.header.Access-Control-Allow-Methods': "'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'",
        'method.response.header.Access-Control-Allow-Origin': "'https://a.example.com'"
      },
      responseTemplates: { 'application/json': '' }
    })
    const two = preflight(['https://a.example.com', 'https://b.example.com'])
    expect(two.integration.responses[0].responseParameters['method.response.header.Vary']).toBe("'Origin'")
    expect(two.integration.responses[0].responseTemplates).toEqual({
      'application/json':
        "#set($origin = $input.params().header.get('Origin'))\n" +
        '#if($origin == "https://a.example.com" || $origin == "https://b.example.com")' +
        '#set($context.responseOverride.header.Access-Control-Allow-Origin = $origin)#end'
    })
    expect(two.methodResponses[0].responseParameters['method.response.header.Vary']).toBe(false)
  })
})

describe('CORS on the gateway responses', () => {
  const OUR_BODY =
    "## cortex-rest-gateway: CORS on the gateway's own answers\n" +
    '{"message":$context.error.messageString,"requestId":"$context.requestId"}'
  const ours = (type: string, origin = "'*'"): GatewayResponseState => ({
    responseType: type,
    defaultResponse: false,
    responseParameters: {
      'gatewayresponse.header.Access-Control-Allow-Origin': origin,
      'gatewayresponse.header.Access-Control-Allow-Headers':
        "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
      'gatewayresponse.header.Access-Control-Allow-Methods': "'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'"
    },
    responseTemplates: { 'application/json': OUR_BODY }
  })
  const persons: GatewayResponseState = {
    responseType: 'DEFAULT_4XX',
    defaultResponse: false,
    responseParameters: {},
    responseTemplates: { 'application/json': '{"error":$context.error.messageString}' }
  }
  const awsDefault = (type: string): GatewayResponseState => ({
    responseType: type,
    defaultResponse: true,
    responseParameters: {},
    responseTemplates: { 'application/json': '{"message":$context.error.messageString}' }
  })

  it('sets both on a new API, and on one with AWS defaults, with the headers and the body written out', () => {
    const put = (type: string) => {
      const { responseType, ...rest } = ours(type)
      return {
        op: 'put-gateway-response',
        responseType,
        responseParameters: rest.responseParameters,
        responseTemplates: rest.responseTemplates
      }
    }
    expect(planCorsResponses({ cors: true, origins: ['*'] }).steps).toEqual([
      put('DEFAULT_4XX'),
      put('DEFAULT_5XX')
    ])
    expect(
      planCorsResponses({ cors: true, origins: ['*'] }, [
        awsDefault('DEFAULT_4XX'),
        awsDefault('DEFAULT_5XX')
      ]).steps
    ).toEqual([put('DEFAULT_4XX'), put('DEFAULT_5XX')])
  })

  it('writes nothing when ours are as wanted; changes one whose origin differs', () => {
    expect(
      planCorsResponses({ cors: true, origins: ['*'] }, [ours('DEFAULT_4XX'), ours('DEFAULT_5XX')])
    ).toEqual({
      steps: [],
      notes: []
    })
    const steps = planCorsResponses({ cors: true, origins: ['https://a.example.com'] }, [
      ours('DEFAULT_4XX'),
      ours('DEFAULT_5XX', "'https://a.example.com'")
    ]).steps
    expect(steps.map(s => [s.op, s.responseType])).toEqual([['put-gateway-response', 'DEFAULT_4XX']])
  })

  it("leaves a person's response alone (with a note), and never resets it when cors goes", () => {
    const on = planCorsResponses({ cors: true, origins: ['*'] }, [persons, ours('DEFAULT_5XX')])
    expect(on).toEqual({
      steps: [],
      notes: [
        'The DEFAULT_4XX gateway response was set by a person: left as it is, without the CORS headers ' +
          "'cors' would add"
      ]
    })
    expect(planCorsResponses({ cors: false, origins: ['*'] }, [persons, ours('DEFAULT_5XX')]).steps).toEqual([
      { op: 'delete-gateway-response', responseType: 'DEFAULT_5XX' }
    ])
    expect(planCorsResponses({ cors: false, origins: ['*'] }, [awsDefault('DEFAULT_4XX')]).steps).toEqual([])
  })

  it("answers several origins with the caller's, and Vary: Origin", () => {
    const [step] = planCorsResponses({
      cors: true,
      origins: ['https://a.example.com', 'https://b.example.com']
    }).steps
    expect(step).toMatchObject({
      responseParameters: {
        'gatewayresponse.header.Access-Control-Allow-Origin': 'method.request.header.Origin',
        'gatewayresponse.header.Vary': "'Origin'"
      }
    })
  })
})
