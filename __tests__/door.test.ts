/**
 * At the door, against moto server behind the test proxy: the execute-api endpoint locked behind the custom
 * domain, the domain's TLS policy, streamed responses, CORS on the gateway's own answers, read back
 * independently; set, kept on a re-run with no write, changed in place, and undone only where the action did it.
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  GetDomainNameCommand,
  GetGatewayResponseCommand,
  GetGatewayResponsesCommand,
  GetResourcesCommand,
  PutGatewayResponseCommand,
  GetRestApiCommand,
  UpdateRestApiCommand,
  UpdateStageCommand
} from '@aws-sdk/client-api-gateway'
import { runEngine } from '../src/engine/engine.js'
import { memoryLog } from '../src/report/log.js'
import {
  CognitoIdentityProviderClient,
  CreateUserPoolCommand
} from '@aws-sdk/client-cognito-identity-provider'
import {
  createLoadBalancer,
  credentials,
  REGION,
  testClients,
  type SeededLoadBalancer
} from './support/aws.js'
import { motoBehindProxy } from './support/harness.js'
import { configFrom } from './support/inputs.js'

const aws = motoBehindProxy({ env: true })
const CERT = `arn:aws:acm:${REGION}:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666`
const DOMAIN = 'api.example.com'

let lb: SeededLoadBalancer

beforeEach(async () => {
  await aws.moto.reset()
  lb = await createLoadBalancer(aws.moto.endpoint, { name: 'cortex-public', scheme: 'internet-facing' })
  aws.proxy.clear()
})

function run(inputs: Record<string, string>, log = memoryLog()) {
  return runEngine({
    config: configFrom(
      { region: REGION, 'load-balancer': lb.dnsName, ...inputs },
      { GITHUB_REPOSITORY: 'octo/app' }
    ),
    log,
    provenance: { repository: 'octo/app', workflow: 'ci' }
  })
}

const withDomain = (more: Record<string, string> = {}) => ({
  'domain-name': DOMAIN,
  'certificate-arn': CERT,
  ...more
})

/** What the API holds, read through the proxy (which answers as AWS where moto does not). */
async function apiOf(id: string) {
  return testClients(aws.proxy.endpoint).apigw.send(new GetRestApiCommand({ restApiId: id }))
}

const writes = () => aws.proxy.writes().map(r => r.operation)

describe('the execute-api endpoint locked behind the domain', () => {
  it('is turned off at creation, kept with no write, and on again (deployed) when the input goes', async () => {
    const made = await run(withDomain({ 'disable-execute-api-endpoint': 'true' }))
    expect((await apiOf(made.outputs['api-id']!)).disableExecuteApiEndpoint).toBe(true)
    const create = aws.proxy.requests.find(r => r.operation === 'POST /restapis')
    expect(JSON.parse(create!.body ?? '{}')).toMatchObject({ disableExecuteApiEndpoint: true })

    aws.proxy.clear()
    const again = await run(withDomain({ 'disable-execute-api-endpoint': 'true' }))
    expect(again.outcome).toBe('unchanged')
    expect(writes()).toEqual([])

    aws.proxy.clear()
    const on = await run(withDomain())
    expect(on.outcome).toBe('updated')
    expect((await apiOf(made.outputs['api-id']!)).disableExecuteApiEndpoint).toBe(false)
    // AWS turns the endpoint on or off only with a deployment
    expect(writes()).toContain('POST /restapis/{id}/deployments')

    aws.proxy.clear()
    await run(withDomain())
    expect(writes()).toEqual([])
  })

  it('turns off the endpoint of a gateway that is there, in place', async () => {
    const made = await run(withDomain())
    aws.proxy.clear()
    await run(withDomain({ 'disable-execute-api-endpoint': 'true' }))
    expect((await apiOf(made.outputs['api-id']!)).disableExecuteApiEndpoint).toBe(true)
    expect(writes()).toEqual(
      expect.arrayContaining(['PATCH /restapis/{id}', 'POST /restapis/{id}/deployments'])
    )
  })

  it('leaves the endpoint off where a person turned it off', async () => {
    const made = await run(withDomain())
    await testClients(aws.proxy.endpoint).apigw.send(
      new UpdateRestApiCommand({
        restApiId: made.outputs['api-id']!,
        patchOperations: [{ op: 'replace', path: '/disableExecuteApiEndpoint', value: 'true' }]
      })
    )
    aws.proxy.clear()
    const again = await run(withDomain())
    expect(again.outcome).toBe('unchanged')
    expect(writes()).toEqual([])
    expect((await apiOf(made.outputs['api-id']!)).disableExecuteApiEndpoint).toBe(true)
  })

  it('is refused without a domain, naming the input, before any AWS call', () => {
    expect(() =>
      configFrom({
        'load-balancer': 'x-1.elb.us-west-2.amazonaws.com',
        'disable-execute-api-endpoint': 'true'
      })
    ).toThrow(/'disable-execute-api-endpoint'.*needs 'domain-name'/)
  })
})

describe("the custom domain's TLS policy", () => {
  it('is TLS_1_2 by default, and the one asked for at creation, with no write on a re-run', async () => {
    await run(withDomain({ 'security-policy': 'TLS_1_0' }))
    const domain = await testClients(aws.proxy.endpoint).apigw.send(
      new GetDomainNameCommand({ domainName: DOMAIN })
    )
    expect(domain.securityPolicy).toBe('TLS_1_0')
    aws.proxy.clear()
    const again = await run(withDomain({ 'security-policy': 'TLS_1_0' }))
    expect(again.outcome).toBe('unchanged')
    expect(writes()).toEqual([])
  })

  it('plans a change in place in a dry run (moto cannot update a domain: the patch is unit tested)', async () => {
    await run(withDomain())
    aws.proxy.clear()
    const log = memoryLog()
    const dry = await run(withDomain({ 'security-policy': 'TLS_1_0', 'dry-run': 'true' }), log)
    expect(dry.steps).toContain(`change the TLS policy of custom domain ${DOMAIN} from TLS_1_2 to TLS_1_0`)
    expect(writes()).toEqual([])
  })
})

describe('streamed responses', () => {
  /** The proxied integrations' modes, `/` then `/{proxy+}`, as AWS shows them (read through the proxy). */
  async function modes(apiId: string) {
    const { items } = await testClients(aws.proxy.endpoint).apigw.send(
      new GetResourcesCommand({ restApiId: apiId, embed: ['methods'] })
    )
    return (items ?? [])
      .sort((a, b) => (a.path! < b.path! ? -1 : 1))
      .map(r => [
        r.path,
        r.resourceMethods?.ANY?.methodIntegration?.responseTransferMode,
        r.resourceMethods?.OPTIONS?.methodIntegration?.responseTransferMode
      ])
  }

  it('streams the proxied integrations, keeps them with no write, and buffers again when the input goes', async () => {
    const made = await run({ 'response-streaming': 'true' })
    const apiId = made.outputs['api-id']!
    expect(await modes(apiId)).toEqual([
      ['/', 'STREAM', 'BUFFERED'],
      ['/{proxy+}', 'STREAM', 'BUFFERED']
    ])
    aws.proxy.clear()
    expect((await run({ 'response-streaming': 'true' })).outcome).toBe('unchanged')
    expect(writes()).toEqual([])

    aws.proxy.clear()
    expect((await run({})).outcome).toBe('updated')
    expect(await modes(apiId)).toEqual([
      ['/', 'BUFFERED', 'BUFFERED'],
      ['/{proxy+}', 'BUFFERED', 'BUFFERED']
    ])
    const sent = aws.proxy.requests
      .filter(r => r.operation.endsWith('/integration') && r.method === 'PUT')
      .map(r => (JSON.parse(r.body ?? '{}') as { responseTransferMode?: string }).responseTransferMode)
    expect(sent).toEqual([undefined, undefined, undefined, undefined])
    aws.proxy.clear()
    expect((await run({})).outcome).toBe('unchanged')
  })

  it('streams a gateway that is there, replacing only its proxied methods', async () => {
    await run({})
    aws.proxy.clear()
    await run({ 'response-streaming': 'true', 'integration-timeout': '600000' })
    expect(writes().filter(w => w.startsWith('DELETE'))).toEqual([
      'DELETE /restapis/{id}/resources/{id}/methods/{m}',
      'DELETE /restapis/{id}/resources/{id}/methods/{m}'
    ])
  })

  it.each([
    ['its cache cluster', [{ op: 'replace' as const, path: '/cacheClusterEnabled', value: 'true' }]],
    ["a method's caching", [{ op: 'replace' as const, path: '/*/*/caching/enabled', value: 'true' }]]
  ])('is refused before any write where a person turned on %s', async (_what, patchOperations) => {
    const made = await run({})
    const restApiId = made.outputs['api-id']!
    await testClients(aws.moto.endpoint).apigw.send(
      new UpdateStageCommand({ restApiId, stageName: 'dev', patchOperations })
    )
    aws.proxy.clear()
    await expect(run({ 'response-streaming': 'true' })).rejects.toThrow(
      "Input 'response-streaming': stage dev caches responses"
    )
    expect(writes()).toEqual([])
    expect(await modes(restApiId)).toEqual([
      ['/', 'BUFFERED', 'BUFFERED'],
      ['/{proxy+}', 'BUFFERED', 'BUFFERED']
    ])
  })
})

describe("CORS on the gateway's own answers", () => {
  const apigw = () => testClients(aws.proxy.endpoint).apigw
  async function responses(apiId: string): Promise<Record<string, string | undefined>> {
    const { items } = await apigw().send(new GetGatewayResponsesCommand({ restApiId: apiId }))
    const origin = 'gatewayresponse.header.Access-Control-Allow-Origin'
    const set = (items ?? []).filter(r => !r.defaultResponse)
    return Object.fromEntries(
      set.map((r): [string, string | undefined] => [r.responseType ?? '', r.responseParameters?.[origin]])
    )
  }

  it('sets DEFAULT_4XX and DEFAULT_5XX with cors, keeps them with no write, resets them when cors goes', async () => {
    const apiId = (await run({})).outputs['api-id']!
    expect(await responses(apiId)).toEqual({ DEFAULT_4XX: "'*'", DEFAULT_5XX: "'*'" })
    const { responseTemplates } = await apigw().send(
      new GetGatewayResponseCommand({ restApiId: apiId, responseType: 'DEFAULT_5XX' })
    )
    expect(responseTemplates).toEqual({
      'application/json':
        "## cortex-rest-gateway: CORS on the gateway's own answers\n" +
        '{"message":$context.error.messageString,"requestId":"$context.requestId"}'
    })
    aws.proxy.clear()
    expect((await run({})).outcome).toBe('unchanged')
    expect(writes()).toEqual([])

    aws.proxy.clear()
    await run({ 'cors-allow-origins': 'https://app.example.com' })
    expect(await responses(apiId)).toEqual({
      DEFAULT_4XX: "'https://app.example.com'",
      DEFAULT_5XX: "'https://app.example.com'"
    })
    aws.proxy.clear()
    expect((await run({ 'cors-allow-origins': 'https://app.example.com' })).outcome).toBe('unchanged')

    aws.proxy.clear()
    await run({ cors: 'false' })
    expect(await responses(apiId)).toEqual({})
    expect(writes()).toEqual(
      expect.arrayContaining([
        'DELETE /restapis/{id}/gatewayresponses/DEFAULT_4XX',
        'DELETE /restapis/{id}/gatewayresponses/DEFAULT_5XX',
        'POST /restapis/{id}/deployments'
      ])
    )
  })

  it('answers the caller of several origins in the preflight, and keeps that with no write', async () => {
    const origins = { 'cors-allow-origins': 'https://a.example.com, https://b.example.com' }
    await run(origins)
    aws.proxy.clear()
    expect((await run(origins)).outcome).toBe('unchanged')
    expect(writes()).toEqual([])
  })

  it('leaves a response a person customised alone, and never resets it', async () => {
    const apiId = (await run({ cors: 'false' })).outputs['api-id']!
    await apigw().send(
      new PutGatewayResponseCommand({
        restApiId: apiId,
        responseType: 'DEFAULT_4XX',
        responseTemplates: { 'application/json': '{"error":$context.error.messageString}' }
      })
    )
    aws.proxy.clear()
    const log = memoryLog()
    await run({}, log)
    expect(await responses(apiId)).toEqual({ DEFAULT_4XX: undefined, DEFAULT_5XX: "'*'" })
    aws.proxy.clear()
    await run({ cors: 'false' })
    expect(await responses(apiId)).toEqual({ DEFAULT_4XX: undefined })
  })
})

describe('a no-op re-run with everything at the door in use', () => {
  it('writes nothing, and reads the gateway responses and the authorizers beside what it read before', async () => {
    const pool = await new CognitoIdentityProviderClient({
      endpoint: aws.moto.endpoint,
      region: REGION,
      credentials,
      maxAttempts: 1
    }).send(new CreateUserPoolCommand({ PoolName: 'callers' }))
    const all = withDomain({
      'disable-execute-api-endpoint': 'true',
      'security-policy': 'TLS_1_0',
      'response-streaming': 'true',
      'cors-allow-origins': 'https://a.example.com, https://b.example.com',
      authorization: 'COGNITO_USER_POOLS',
      'cognito-user-pool-arns': pool.UserPool!.Arn!,
      'authorization-scopes': 'models/invoke'
    })
    await run(all)
    aws.proxy.clear()
    expect((await run(all)).outcome).toBe('unchanged')
    expect(writes()).toEqual([])
    expect(aws.proxy.requests.map(r => r.operation).sort()).toEqual(
      [
        'DescribeLoadBalancers',
        'GET /restapis',
        'GET /restapis/{id}/resources',
        'GET /restapis/{id}/stages/{id}',
        'GET /restapis/{id}/deployments/{id}',
        'GET /domainnames',
        'GET /domainnames/{id}',
        'GET /domainnames/{id}/basepathmappings',
        'GET /restapis/{id}/gatewayresponses',
        'GET /restapis/{id}/authorizers'
      ].sort()
    )
  })
})
