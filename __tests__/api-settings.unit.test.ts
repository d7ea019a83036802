/**
 * The API's settings (src/features/settings/plan.ts) other than the policy (policy.unit.test.ts), as
 * the README's "REST settings" describes them: binary media types and a PRIVATE API's VPC endpoints,
 * set at creation and later by one UpdateRestApi (a `/` in a patch path written `~1`, as AWS
 * requires); what the action set is recorded in the API's tag before it is set, and only that is
 * taken off when its input goes; a type a person added stays. Expected values are written out.
 */
import { describe, expect, it } from '@jest/globals'
import type { CreateConfig } from '../src/config/inputs.js'
import { cloudWatchRoleMissing, describeSettings, planApiSettings } from '../src/features/settings/plan.js'
import type { RestApiSummary } from '../src/model/model.js'
import { configFrom } from './support/inputs.js'

const TAG = 'cortex-rest-gateway:api-settings'
const config = (inputs: Record<string, string>) =>
  configFrom({ 'load-balancer': 'cortex-1.elb.us-west-2.amazonaws.com', ...inputs }) as CreateConfig
const settings = (inputs: Record<string, string>) => config(inputs).settings
const api = (more: Partial<RestApiSummary> = {}, tag?: string): RestApiSummary => ({
  id: 'a1',
  name: 'cortex',
  tags: tag === undefined ? {} : { [TAG]: tag },
  endpointTypes: ['REGIONAL'],
  rootResourceId: 'root',
  binaryMediaTypes: [],
  vpcEndpointIds: [],
  ...more
})

describe('binary media types', () => {
  it('gives a new API the types asked for at creation, with the tag of them', () => {
    const p = planApiSettings(
      settings({ 'binary-media-types': 'image/png, Application/Octet-Stream' }),
      'REGIONAL',
      undefined
    )
    expect(p).toMatchObject({
      steps: [],
      create: {
        binaryMediaTypes: ['image/png', 'application/octet-stream'],
        policy: undefined,
        vpcEndpointIds: []
      },
      apiTag: { [TAG]: 'binary:image/png binary:application/octet-stream' },
      deployed: { binaryMediaTypes: ['application/octet-stream', 'image/png'], policy: undefined }
    })
    expect(planApiSettings(settings({}), 'REGIONAL', undefined)).toEqual({
      steps: [],
      create: { binaryMediaTypes: [], policy: undefined, vpcEndpointIds: [] },
      apiTag: {},
      needsDeploy: false,
      deployed: undefined
    })
  })

  it('adds the missing types to an API, the tag written first, with "/" escaped as AWS requires', () => {
    const p = planApiSettings(
      settings({ 'binary-media-types': 'image/png, */*' }),
      'REGIONAL',
      api({ binaryMediaTypes: ['image/png'] }, 'binary:image/png')
    )
    const tag = 'binary:image/png binary:=2A/=2A'
    expect(p.steps).toEqual([
      { op: 'tag-api', tags: { [TAG]: tag } },
      {
        op: 'update-api',
        patches: [{ op: 'add', path: '/binaryMediaTypes/*~1*' }],
        changes: [{ what: 'binary media types', from: 'image/png', to: '*/* image/png' }]
      }
    ])
    expect(p.needsDeploy).toBe(true)
  })

  it("removes the types it set that are no longer asked for, never a person's; then narrows or drops its tag", () => {
    const held = api(
      { binaryMediaTypes: ['image/png', 'image/gif', 'Font/Woff2'] },
      'binary:image/png binary:font/woff2'
    )
    const fewer = planApiSettings(settings({ 'binary-media-types': 'image/png' }), 'REGIONAL', held)
    expect(fewer.steps).toEqual([
      {
        op: 'update-api',
        patches: [{ op: 'remove', path: '/binaryMediaTypes/font~1woff2' }],
        // the API's types before and after, a person's image/gif among them
        changes: [
          { what: 'binary media types', from: 'font/woff2 image/gif image/png', to: 'image/gif image/png' }
        ]
      },
      { op: 'tag-api', tags: { [TAG]: 'binary:image/png' } }
    ])
    const none = planApiSettings(settings({}), 'REGIONAL', held)
    expect(none.steps).toEqual([
      {
        op: 'update-api',
        patches: [
          { op: 'remove', path: '/binaryMediaTypes/image~1png' },
          { op: 'remove', path: '/binaryMediaTypes/font~1woff2' }
        ],
        changes: [{ what: 'binary media types', from: 'font/woff2 image/gif image/png', to: 'image/gif' }]
      },
      { op: 'untag-api', keys: [TAG] }
    ])
    expect(none.needsDeploy).toBe(true)
  })

  it('reads back a type its tag holds escaped (*/* is =2A/=2A there), and removes it when it goes', () => {
    const held = api({ binaryMediaTypes: ['*/*', 'image/png'] }, 'binary:=2A/=2A binary:image/png')
    expect(
      planApiSettings(settings({ 'binary-media-types': '*/*, image/png' }), 'REGIONAL', held).steps
    ).toEqual([])
    expect(planApiSettings(settings({ 'binary-media-types': 'image/png' }), 'REGIONAL', held).steps).toEqual([
      {
        op: 'update-api',
        patches: [{ op: 'remove', path: '/binaryMediaTypes/*~1*' }],
        changes: [{ what: 'binary media types', from: '*/* image/png', to: 'image/png' }]
      },
      { op: 'tag-api', tags: { [TAG]: 'binary:image/png' } }
    ])
  })

  it('changes nothing where the API holds the types asked for and its tag says so', () => {
    const p = planApiSettings(
      settings({ 'binary-media-types': 'image/png' }),
      'REGIONAL',
      api({ binaryMediaTypes: ['image/png', 'image/gif'] }, 'binary:image/png')
    )
    expect(p.steps).toEqual([])
    expect(p.needsDeploy).toBe(false)
    // a type the action set that a person removed since is not removed again
    const gone = planApiSettings(settings({}), 'REGIONAL', api({}, 'binary:image/png'))
    expect(gone.steps).toEqual([{ op: 'untag-api', keys: [TAG] }])
  })
})

describe('VPC endpoints of a PRIVATE API', () => {
  const ENDPOINTS = { 'endpoint-type': 'PRIVATE', 'vpc-endpoint-ids': 'vpce-0aaa1111, vpce-0bbb2222' }

  it('gives a new PRIVATE API its endpoints at creation, any other type none', () => {
    expect(planApiSettings(settings(ENDPOINTS), 'PRIVATE', undefined).create.vpcEndpointIds).toEqual([
      'vpce-0aaa1111',
      'vpce-0bbb2222'
    ])
    expect(planApiSettings(settings(ENDPOINTS), 'REGIONAL', undefined).create.vpcEndpointIds).toEqual([])
  })

  it('adds the endpoints asked for and removes the others (its policy names them too)', () => {
    const p = planApiSettings(
      settings(ENDPOINTS),
      'PRIVATE',
      api({ endpointTypes: ['PRIVATE'], vpcEndpointIds: ['vpce-0bbb2222', 'vpce-0ccc3333'] })
    )
    const update = p.steps.find(s => s.op === 'update-api')
    expect(update).toMatchObject({
      changes: [
        { what: 'resource policy', from: 'none', to: '2 statements' },
        { what: 'VPC endpoints', from: 'vpce-0bbb2222 vpce-0ccc3333', to: 'vpce-0aaa1111 vpce-0bbb2222' }
      ]
    })
    expect(update && 'patches' in update && update.patches.filter(x => x.path !== '/policy')).toEqual([
      { op: 'add', path: '/endpointConfiguration/vpcEndpointIds', value: 'vpce-0aaa1111' },
      { op: 'remove', path: '/endpointConfiguration/vpcEndpointIds', value: 'vpce-0ccc3333' }
    ])
  })

  it('takes every endpoint off an API that stops being PRIVATE', () => {
    const p = planApiSettings(
      settings({}),
      'REGIONAL',
      api({ endpointTypes: ['PRIVATE'], vpcEndpointIds: ['vpce-0aaa1111'] })
    )
    expect(p.steps).toEqual([
      {
        op: 'update-api',
        patches: [{ op: 'remove', path: '/endpointConfiguration/vpcEndpointIds', value: 'vpce-0aaa1111' }],
        changes: [{ what: 'VPC endpoints', from: 'vpce-0aaa1111', to: 'none' }]
      }
    ])
  })
})

describe('what a deployment puts live of the API settings', () => {
  it('names the policy in one form: keys in order, a list in order, a list of one as its item', () => {
    const deny =
      '{"Action":"execute-api:Invoke","Condition":{"NotIpAddress":{"aws:SourceIp":"192.0.2.0/24"}},' +
      '"Effect":"Deny","Principal":"*","Resource":"execute-api:/*","Sid":"CortexRestGatewayAllowedSourceIps"}'
    const allow =
      '{"Action":"execute-api:Invoke","Effect":"Allow","Principal":"*","Resource":"execute-api:/*",' +
      '"Sid":"CortexRestGatewayAllowInvoke"}'
    expect(
      planApiSettings(settings({ 'allowed-source-ips': '192.0.2.0/24' }), 'REGIONAL', undefined).deployed
    ).toEqual({
      binaryMediaTypes: [],
      policy: `{"Statement":[${deny},${allow}],"Version":"2012-10-17"}`
    })
  })
})

describe('what the job summary and the errors say of the settings', () => {
  it('names each setting in use on a line, API keys by name and never by value', () => {
    const c = config({
      throttle: '100/200',
      'api-keys': 'alpha, beta',
      'api-key-quota': '1000/month',
      'api-key-throttle': '10/20',
      'binary-media-types': 'image/png',
      'logging-level': 'error',
      metrics: 'true',
      tracing: 'true'
    })
    expect(describeSettings(c.settings, 'REGIONAL')).toEqual([
      'throttle 100/200',
      'API keys alpha, beta, quota 1000/month, throttle 10/20 a key',
      'binary media types image/png',
      'execution logging ERROR',
      'detailed metrics',
      'X-Ray tracing'
    ])
    expect(describeSettings(config({}).settings, 'REGIONAL')).toEqual([])
  })

  it("says where the account lacks API Gateway's CloudWatch Logs role and how to set it", () => {
    expect(cloudWatchRoleMissing('eu-west-1')).toBe(
      "'logging-level' and access logs to CloudWatch Logs need API Gateway's CloudWatch Logs role " +
        'for the account in eu-west-1, and it has none: set it once (API Gateway console → Settings, or ' +
        '`aws apigateway update-account --patch-operations op=replace,path=/cloudwatchRoleArn,value=ROLE_ARN` ' +
        'with a role that trusts apigateway.amazonaws.com and has AmazonAPIGatewayPushToCloudWatchLogs), ' +
        'then re-run'
    )
  })
})
