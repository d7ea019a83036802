/**
 * REST settings against moto server: throttling, logs, metrics, tracing, binary media types,
 * integration timeout, resource policy, PRIVATE endpoints and the web ACL, set, read back
 * independently, changed in place and removed (only what the action set).
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteRestApiCommand,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  GetRestApiCommand,
  GetStageCommand,
  TagResourceCommand,
  UpdateAccountCommand,
  UpdateRestApiCommand,
  UpdateStageCommand,
  UpdateUsagePlanCommand
} from '@aws-sdk/client-api-gateway'
import { CreateWebACLCommand, GetWebACLForResourceCommand, WAFV2Client } from '@aws-sdk/client-wafv2'
import { Tags } from '../src/base/constants.js'
import { runEngine } from '../src/engine/engine.js'
import { ActionError, InputError } from '../src/base/errors.js'
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
import type { Fault, Recorded } from './support/proxy.js'

const aws = motoBehindProxy({ env: true })
const LOG_GROUP = `arn:aws:logs:${REGION}:123456789012:log-group:api-access`

let lb: SeededLoadBalancer

beforeEach(async () => {
  await aws.moto.reset()
  lb = await createLoadBalancer(aws.moto.endpoint, { name: 'cortex-public', scheme: 'internet-facing' })
  aws.proxy.clear()
})

function run(inputs: Record<string, string>) {
  return runEngine({
    config: configFrom(
      { region: REGION, 'load-balancer': lb.dnsName, ...inputs },
      { GITHUB_REPOSITORY: 'octo/app' }
    ),
    log: memoryLog(),
    provenance: { repository: 'octo/app', workflow: 'ci' }
  })
}

async function readStage(apiId: string, stageName = 'dev') {
  return testClients(aws.moto.endpoint).apigw.send(new GetStageCommand({ restApiId: apiId, stageName }))
}

async function giveAccountCloudWatchRole() {
  await testClients(aws.moto.endpoint).apigw.send(
    new UpdateAccountCommand({
      patchOperations: [
        { op: 'replace', path: '/cloudwatchRoleArn', value: 'arn:aws:iam::123456789012:role/apigw-logs' }
      ]
    })
  )
}

const STAGE_SETTINGS = {
  throttle: '100/200',
  'logging-level': 'INFO',
  metrics: 'true',
  tracing: 'true',
  'access-log-destination': LOG_GROUP
}

describe('stage settings', () => {
  it('sets throttling, logs, metrics, tracing and access logs; a re-run writes nothing', async () => {
    await giveAccountCloudWatchRole()
    const made = await run(STAGE_SETTINGS)
    const apiId = made.outputs['api-id']!
    const stage = await readStage(apiId)
    expect(stage.methodSettings?.['*/*']).toMatchObject({
      throttlingRateLimit: 100,
      throttlingBurstLimit: 200,
      loggingLevel: 'INFO',
      metricsEnabled: true
    })
    expect(stage.tracingEnabled).toBe(true)
    expect(stage.accessLogSettings?.destinationArn).toBe(LOG_GROUP)
    expect(JSON.parse(stage.accessLogSettings!.format!)).toMatchObject({ requestId: '$context.requestId' })
    expect(stage.tags?.['cortex-rest-gateway:stage-settings']).toBe(
      'throttle logging metrics tracing access-log'
    )

    aws.proxy.clear()
    const again = await run(STAGE_SETTINGS)
    expect(again.outcome).toBe('unchanged')
    expect(aws.proxy.writes()).toEqual([])
    // one read more than without settings: the account's CloudWatch role
    expect(aws.proxy.requests.filter(r => r.operation === 'GET /account')).toHaveLength(1)
  })

  it('changes in place without a deployment, and sets back only what it set when the inputs go', async () => {
    await giveAccountCloudWatchRole()
    const made = await run(STAGE_SETTINGS)
    const apiId = made.outputs['api-id']!
    aws.proxy.clear()
    // the plan (a dry run) and the run say what each setting was and what it becomes
    const changes = { ...STAGE_SETTINGS, throttle: '50/60', 'logging-level': 'ERROR' }
    const said = 'update stage "dev": throttle 100/200 → 50/60, logging INFO → ERROR'
    expect((await run({ ...changes, 'dry-run': 'true' })).steps).toEqual([said])
    const changed = await run(changes)
    expect(changed.outcome).toBe('updated')
    expect(changed.steps).toEqual([said])
    expect(aws.proxy.requests.some(r => r.operation === 'POST /restapis/{id}/deployments')).toBe(false)
    let stage = await readStage(apiId)
    expect(stage.methodSettings?.['*/*']).toMatchObject({
      throttlingRateLimit: 50,
      throttlingBurstLimit: 60,
      loggingLevel: 'ERROR'
    })

    // a person turns on caching-free data tracing by hand: not the action's to undo
    await testClients(aws.moto.endpoint).apigw.send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: 'dev',
        patchOperations: [{ op: 'replace', path: '/*/*/logging/dataTrace', value: 'true' }]
      })
    )
    const reset = await run({ tracing: 'true' })
    expect(reset.steps).toContain(
      `update stage "dev": throttle 50/60 → off, logging ERROR → OFF, metrics on → off, access-log ${LOG_GROUP} → off`
    )
    stage = await readStage(apiId)
    expect(stage.methodSettings?.['*/*']).toMatchObject({
      throttlingRateLimit: -1,
      throttlingBurstLimit: -1,
      loggingLevel: 'OFF',
      metricsEnabled: false,
      dataTraceEnabled: true
    })
    expect(stage.tracingEnabled).toBe(true)
    expect(stage.accessLogSettings?.destinationArn ?? '').toBe('')
    expect(stage.tags?.['cortex-rest-gateway:stage-settings']).toBe('tracing')
    aws.proxy.clear()
    expect((await run({ tracing: 'true' })).outcome).toBe('unchanged')
    expect(aws.proxy.writes()).toEqual([])
  })

  it('refuses execution logs without the account CloudWatch role, before any write', async () => {
    await expect(run({ 'logging-level': 'ERROR' })).rejects.toThrow(ActionError)
    await expect(run({ 'logging-level': 'ERROR' })).rejects.toThrow('CloudWatch Logs role for the account in')
    expect(aws.proxy.writes()).toEqual([])
  })

  it('leaves settings a person made on the stage when the action never set them', async () => {
    const made = await run({})
    const apiId = made.outputs['api-id']!
    await testClients(aws.moto.endpoint).apigw.send(
      new UpdateStageCommand({
        restApiId: apiId,
        stageName: 'dev',
        patchOperations: [{ op: 'replace', path: '/*/*/metrics/enabled', value: 'true' }]
      })
    )
    aws.proxy.clear()
    expect((await run({})).outcome).toBe('unchanged')
    expect(aws.proxy.writes()).toEqual([])
    expect((await readStage(apiId)).methodSettings?.['*/*']?.metricsEnabled).toBe(true)
  })
})

describe('API settings', () => {
  const POLICY = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }]
  })

  it('sets binary media types, the timeout and a policy with allowed IPs; a re-run writes nothing', async () => {
    const inputs = {
      'binary-media-types': 'image/png, */*',
      'integration-timeout': '10000',
      'resource-policy': POLICY,
      'allowed-source-ips': '203.0.113.0/24'
    }
    const made = await run(inputs)
    const apiId = made.outputs['api-id']!
    const gateway = await readGateway(aws.proxy.endpoint)
    const api = await testClients(aws.proxy.endpoint).apigw.send(new GetRestApiCommand({ restApiId: apiId }))
    expect([...(api.binaryMediaTypes ?? [])].sort()).toEqual(['*/*', 'image/png'])
    const policy = JSON.parse(api.policy!.replace(/\\"/g, '"')) as { Statement: { Effect: string }[] }
    expect(policy.Statement.map(st => st.Effect)).toEqual(['Allow', 'Deny'])
    expect(JSON.stringify(policy)).toContain('203.0.113.0/24')
    const proxy = gateway.resources.find(r => r.path === '/{proxy+}')!
    expect(proxy.resourceMethods?.ANY.methodIntegration?.timeoutInMillis).toBe(10000)

    aws.proxy.clear()
    const again = await run(inputs)
    expect(again.outcome).toBe('unchanged')
    expect(aws.proxy.writes()).toEqual([])

    // the inputs go: what the action set goes, redeployed once
    aws.proxy.clear()
    const removed = await run({})
    expect(removed.outcome).toBe('updated')
    expect(removed.steps).toContain(
      "update the API: binary media types */* image/png → none, resource policy (the action's statements " +
        'removed) 2 statements → none'
    )
    // a method replaced says what of it changes
    expect(removed.steps).toContain(
      'put method ANY /{proxy+} → HTTP_PROXY http://${stageVariables.cortexHost}/{proxy}: timeout 10000 ms → 29000 ms'
    )
    expect(aws.proxy.requests.filter(r => r.operation === 'POST /restapis/{id}/deployments')).toHaveLength(1)
    const after = await testClients(aws.proxy.endpoint).apigw.send(
      new GetRestApiCommand({ restApiId: apiId })
    )
    expect(after.binaryMediaTypes ?? []).toEqual([])
    expect(after.policy ?? '').toBe('')
  })

  it('deploys a changed policy on the next run when the run that set it stopped before deploying', async () => {
    const made = await run({})
    const apiId = made.outputs['api-id']!
    aws.proxy.options.fault = req =>
      req.operation === 'POST /restapis/{id}/deployments'
        ? { kind: 'status', status: 400, code: 'BadRequestException', message: 'stopped here' }
        : undefined
    await expect(run({ 'allowed-source-ips': '203.0.113.0/24' })).rejects.toThrow('stopped here')
    aws.proxy.options.fault = undefined
    const api = await testClients(aws.proxy.endpoint).apigw.send(new GetRestApiCommand({ restApiId: apiId }))
    expect(api.policy).toContain('203.0.113.0/24')
    aws.proxy.clear()
    const next = await run({ 'allowed-source-ips': '203.0.113.0/24' })
    expect(next.outcome).toBe('updated')
    expect(aws.proxy.requests.filter(r => r.operation === 'POST /restapis/{id}/deployments')).toHaveLength(1)
    expect(aws.proxy.requests.some(r => r.operation === 'PATCH /restapis/{id}')).toBe(false)
  })

  it('makes a PRIVATE API reachable only through its VPC endpoints', async () => {
    const made = await run({ 'endpoint-type': 'PRIVATE', 'vpc-endpoint-ids': 'vpce-0123456789abcdef0' })
    const api = await testClients(aws.proxy.endpoint).apigw.send(
      new GetRestApiCommand({ restApiId: made.outputs['api-id']! })
    )
    expect(api.endpointConfiguration?.types).toEqual(['PRIVATE'])
    expect(api.endpointConfiguration?.vpcEndpointIds).toEqual(['vpce-0123456789abcdef0'])
    expect(api.policy).toContain('vpce-0123456789abcdef0')
    aws.proxy.clear()
    expect(
      (await run({ 'endpoint-type': 'PRIVATE', 'vpc-endpoint-ids': 'vpce-0123456789abcdef0' })).outcome
    ).toBe('unchanged')
  })
  it('turns a PRIVATE API with VPC endpoints REGIONAL: the endpoints go before the type changes', async () => {
    // AWS refuses a type that is not PRIVATE while VPC endpoints remain ("VPCEndpoints can only be specified
    // with PRIVATE apis."): the endpoints are removed first, then the type is changed
    const made = await run({ 'endpoint-type': 'PRIVATE', 'vpc-endpoint-ids': 'vpce-0123456789abcdef0' })
    const next = await run({ 'endpoint-type': 'REGIONAL' })
    expect(next.outcome).toBe('updated')
    expect(next.outputs['api-id']).toBe(made.outputs['api-id'])
    const api = await testClients(aws.proxy.endpoint).apigw.send(
      new GetRestApiCommand({ restApiId: made.outputs['api-id']! })
    )
    expect(api.endpointConfiguration?.types).toEqual(['REGIONAL'])
    expect(api.endpointConfiguration?.vpcEndpointIds ?? []).toEqual([])
    aws.proxy.clear()
    expect((await run({ 'endpoint-type': 'REGIONAL' })).outcome).toBe('unchanged')
  })
})

describe('resource policy: the action owns only the statements it wrote (issue 20, hole 7)', () => {
  const INVOKE = { Principal: '*', Action: 'execute-api:Invoke', Resource: 'execute-api:/*' }
  /** A statement a person wrote by hand. */
  const THEIRS = {
    Sid: 'BlockScanner',
    Effect: 'Deny',
    ...INVOKE,
    Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.7/32' } }
  }
  interface Statement {
    Sid?: string
    Effect: string
    Condition?: unknown
  }
  const apigw = () => testClients(aws.moto.endpoint).apigw

  async function statementsOf(apiId: string): Promise<Statement[]> {
    const text = (await apigw().send(new GetRestApiCommand({ restApiId: apiId }))).policy ?? ''
    if (text === '') return []
    const parsed = JSON.parse(text.replace(/\\"/g, '"')) as { Statement: Statement | Statement[] }
    return Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]
  }

  async function setPolicy(apiId: string, statements: unknown[]): Promise<void> {
    await apigw().send(
      new UpdateRestApiCommand({
        restApiId: apiId,
        patchOperations: [
          {
            op: 'replace',
            path: '/policy',
            value: JSON.stringify({ Version: '2012-10-17', Statement: statements })
          }
        ]
      })
    )
  }

  const sids = (statements: Statement[]) => statements.map(st => st.Sid ?? '(none)').sort()
  const mentions = (statements: Statement[], text: string) => JSON.stringify(statements).includes(text)

  it("keeps a person's statement through a re-run, a changed input and a dropped one", async () => {
    const made = await run({ 'allowed-source-ips': '203.0.113.0/24' })
    const apiId = made.outputs['api-id']!
    const ours = await statementsOf(apiId)
    // every statement the action wrote carries its mark
    expect(ours.length).toBeGreaterThan(0)
    for (const st of ours) expect(st.Sid).toMatch(/^CortexRestGateway/)
    await setPolicy(apiId, [...ours, THEIRS])

    aws.proxy.clear()
    expect((await run({ 'allowed-source-ips': '203.0.113.0/24' })).outcome).toBe('unchanged')
    expect(aws.proxy.writes()).toEqual([])
    expect(sids(await statementsOf(apiId))).toContain('BlockScanner')

    const changed = await run({ 'allowed-source-ips': '192.0.2.0/24' })
    expect(changed.steps.join('\n')).toContain("1 statement of a person's kept")
    const now = await statementsOf(apiId)
    expect(sids(now)).toContain('BlockScanner')
    expect(mentions(now, '192.0.2.0/24')).toBe(true)
    expect(mentions(now, '203.0.113.0/24')).toBe(false)

    await run({})
    expect(sids(await statementsOf(apiId))).toEqual(['BlockScanner'])
  })

  it('adds its statements beside a policy a person wrote, and takes only its own away', async () => {
    const apiId = (await run({})).outputs['api-id']!
    const allow = { Sid: 'TheirAllow', Effect: 'Allow', ...INVOKE }
    await setPolicy(apiId, [allow, THEIRS])
    await run({ 'allowed-source-ips': '203.0.113.0/24' })
    const both = await statementsOf(apiId)
    expect(sids(both).filter(sid => !sid.startsWith('CortexRestGateway'))).toEqual([
      'BlockScanner',
      'TheirAllow'
    ])
    expect(mentions(both, '203.0.113.0/24')).toBe(true)
    await run({})
    expect(sids(await statementsOf(apiId))).toEqual(['BlockScanner', 'TheirAllow'])
  })

  it("marks resource-policy's statements as its own: dropping the input removes them, not a person's", async () => {
    const policy = { Version: '2012-10-17', Statement: [{ Sid: 'Mine', Effect: 'Allow', ...INVOKE }] }
    const apiId = (await run({ 'resource-policy': JSON.stringify(policy) })).outputs['api-id']!
    const ours = await statementsOf(apiId)
    expect(ours).toHaveLength(1)
    expect(ours[0].Sid).toMatch(/^CortexRestGateway/)
    await setPolicy(apiId, [...ours, THEIRS])
    aws.proxy.clear()
    expect((await run({ 'resource-policy': JSON.stringify(policy) })).outcome).toBe('unchanged')
    await run({})
    expect(sids(await statementsOf(apiId))).toEqual(['BlockScanner'])
  })

  it('takes over the statements a gateway made before the marks holds as it wrote them, and no others', async () => {
    const apiId = (await run({})).outputs['api-id']!
    // what the previous version wrote for allowed-source-ips (no Sid), a person's statement beside it,
    // and the API's settings tag saying the action set a policy
    await setPolicy(apiId, [
      { Effect: 'Allow', ...INVOKE },
      { Effect: 'Deny', ...INVOKE, Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } },
      THEIRS
    ])
    // (through the proxy: moto tags a REST API only at its creation)
    await testClients(aws.proxy.endpoint).apigw.send(
      new TagResourceCommand({
        resourceArn: `arn:aws:apigateway:${REGION}::/restapis/${apiId}`,
        tags: { 'cortex-rest-gateway:api-settings': 'policy' }
      })
    )
    await run({ 'allowed-source-ips': '192.0.2.0/24' })
    const now = await statementsOf(apiId)
    expect(mentions(now, '203.0.113.0/24')).toBe(false)
    expect(mentions(now, '192.0.2.0/24')).toBe(true)
    expect(now.filter(st => !st.Sid?.startsWith('CortexRestGateway')).map(st => st.Sid)).toEqual([
      'BlockScanner'
    ])
    await run({})
    expect(sids(await statementsOf(apiId))).toEqual(['BlockScanner'])
  })

  it("makes a PRIVATE API's default policy of marked statements, and keeps a person's beside it", async () => {
    const inputs = { 'endpoint-type': 'PRIVATE', 'vpc-endpoint-ids': 'vpce-0123456789abcdef0' }
    const apiId = (await run(inputs)).outputs['api-id']!
    const ours = await statementsOf(apiId)
    for (const st of ours) expect(st.Sid).toMatch(/^CortexRestGateway/)
    await setPolicy(apiId, [...ours, THEIRS])
    await run({ ...inputs, 'vpc-endpoint-ids': 'vpce-0123456789abcdef1' })
    const now = await statementsOf(apiId)
    expect(sids(now)).toContain('BlockScanner')
    expect(mentions(now, 'vpce-0123456789abcdef1')).toBe(true)
    expect(mentions(now, 'vpce-0123456789abcdef0')).toBe(false)
  })
})

describe('web ACL', () => {
  const wafClient = () =>
    new WAFV2Client({ endpoint: aws.moto.endpoint, region: REGION, credentials, maxAttempts: 1 })
  const makeAcl = async (waf: WAFV2Client) =>
    (
      await waf.send(
        new CreateWebACLCommand({
          Name: 'models',
          Scope: 'REGIONAL',
          DefaultAction: { Allow: {} },
          VisibilityConfig: {
            SampledRequestsEnabled: false,
            CloudWatchMetricsEnabled: false,
            MetricName: 'm'
          }
        })
      )
    ).Summary!

  it('associates the web ACL with the stage, and takes it off when the input goes', async () => {
    const waf = wafClient()
    const arn = (await makeAcl(waf)).ARN!
    const made = await run({ 'web-acl-arn': arn })
    const stageArn = `arn:aws:apigateway:${REGION}::/restapis/${made.outputs['api-id']}/stages/dev`
    expect((await waf.send(new GetWebACLForResourceCommand({ ResourceArn: stageArn }))).WebACL?.ARN).toBe(arn)
    aws.proxy.clear()
    expect((await run({ 'web-acl-arn': arn })).outcome).toBe('unchanged')
    expect(aws.proxy.writes()).toEqual([])
    // the ACL associated is the one asked for: the re-run asks AWS nothing more of it
    expect(aws.proxy.requests.filter(r => r.service === 'wafv2').map(r => r.operation)).toEqual([
      'GetWebACLForResource'
    ])
    await run({})
    expect(
      (await waf.send(new GetWebACLForResourceCommand({ ResourceArn: stageArn }))).WebACL
    ).toBeUndefined()
  })

  it('waits out a new stage that AWS WAF cannot see yet, rather than leave the gateway live without it', async () => {
    // AWS WAF answers WAFUnavailableEntityException ("Retry your request") for a stage made moments ago
    const waf = wafClient()
    const arn = (await makeAcl(waf)).ARN!
    let refused = 0
    aws.proxy.options.fault = req =>
      req.service === 'wafv2' && req.operation === 'AssociateWebACL' && refused++ < 2
        ? {
            kind: 'status',
            status: 400,
            code: 'WAFUnavailableEntityException',
            message: 'AWS WAF couldn’t retrieve the resource that you requested. Retry your request.'
          }
        : undefined
    try {
      const made = await run({ 'web-acl-arn': arn })
      const stageArn = `arn:aws:apigateway:${REGION}::/restapis/${made.outputs['api-id']}/stages/dev`
      expect((await waf.send(new GetWebACLForResourceCommand({ ResourceArn: stageArn }))).WebACL?.ARN).toBe(
        arn
      )
      expect(refused).toBe(3)
    } finally {
      aws.proxy.options.fault = undefined
    }
  })

  const MISSING = `arn:aws:wafv2:${REGION}:123456789012:regional/webacl/models/0f0e0d0c-1111-2222-3333-444455556666`

  it('refuses a web ACL that does not exist before any write, so no gateway is live without it (hole 8)', async () => {
    const error = await run({ 'web-acl-arn': MISSING }).then(
      () => new Error('the run succeeded'),
      (e: unknown) => e as Error
    )
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).input).toBe('web-acl-arn')
    expect(error.message).toContain(`Input 'web-acl-arn': AWS WAF knows no web ACL "models" with id`)
    expect(aws.proxy.writes()).toEqual([])
    expect((await readGateway(aws.moto.endpoint)).apis).toEqual([])
  })

  it('refuses a missing web ACL for a gateway that exists before changing anything', async () => {
    await run({})
    aws.proxy.clear()
    const error = await run({ 'web-acl-arn': MISSING, throttle: '10/20' }).then(
      () => new Error('the run succeeded'),
      (e: unknown) => e as Error
    )
    expect((error as InputError).input).toBe('web-acl-arn')
    expect(aws.proxy.writes()).toEqual([])
  })

  it('refuses a web ACL ARN of another account: the name and id found in this one are not it', async () => {
    const acl = await makeAcl(wafClient())
    const other = acl.ARN!.replace(':123456789012:', ':210987654321:')
    const error = await run({ 'web-acl-arn': other }).then(
      () => new Error('the run succeeded'),
      (e: unknown) => e as Error
    )
    expect((error as InputError).input).toBe('web-acl-arn')
    expect(error.message).toContain(acl.ARN!)
    expect(aws.proxy.writes()).toEqual([])
  })
})

describe('API keys and the usage plan', () => {
  const KEYS = { 'api-keys': 'team-a, team-b', 'api-key-quota': '10000/month', 'api-key-throttle': '5/10' }

  it('makes the plan and keys, requires a key on the proxied methods, reuses them on a re-run', async () => {
    const made = await run(KEYS)
    const apiId = made.outputs['api-id']!
    const { apigw } = testClients(aws.moto.endpoint)
    const plans = (await apigw.send(new GetUsagePlansCommand({}))).items ?? []
    expect(plans).toHaveLength(1)
    expect(plans[0]).toMatchObject({
      apiStages: [{ apiId, stage: 'dev' }],
      quota: { limit: 10000, period: 'MONTH' },
      throttle: { rateLimit: 5, burstLimit: 10 }
    })
    const keys = (await apigw.send(new GetApiKeysCommand({ includeValues: true }))).items ?? []
    expect(keys.map(k => k.name).sort()).toEqual(['team-a', 'team-b'])
    const attached = (await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: plans[0].id }))).items ?? []
    expect(attached.map(k => k.name).sort()).toEqual(['team-a', 'team-b'])
    const a = keys.find(k => k.name === 'team-a')!
    const b = keys.find(k => k.name === 'team-b')!
    expect(made.outputs['api-key-ids']).toBe(`team-a=${a.id}\nteam-b=${b.id}`)
    expect(made.outputs['api-key']).toBe(a.value)
    const gateway = await readGateway(aws.proxy.endpoint)
    const proxy = gateway.resources.find(r => r.path === '/{proxy+}')!
    expect(proxy.resourceMethods?.ANY.apiKeyRequired).toBe(true)
    expect(proxy.resourceMethods?.OPTIONS.apiKeyRequired ?? false).toBe(false)
    // the plan says nothing of a key's value
    expect(made.steps.join('\n')).not.toContain(a.value!)

    aws.proxy.clear()
    const again = await run(KEYS)
    expect(again.outcome).toBe('unchanged')
    expect(aws.proxy.writes()).toEqual([])
    expect(again.outputs['api-key']).toBe(a.value)
    expect(again.outputs['api-key-ids']).toBe(made.outputs['api-key-ids'])
  })

  it('drops a key no longer named, changes the quota in place, and removes it all when the input goes', async () => {
    await run(KEYS)
    const { apigw } = testClients(aws.moto.endpoint)
    // a key a person made with a name the action uses: never touched
    await apigw.send(new CreateApiKeyCommand({ name: 'team-b', enabled: true }))
    const changed = await run({ ...KEYS, 'api-keys': 'team-a', 'api-key-quota': '500/day' })
    expect(changed.outcome).toBe('updated')
    expect(changed.steps.filter(t => t.startsWith('update usage plan'))).toEqual([
      expect.stringMatching(/^update usage plan \w+: quota 10000\/month → 500\/day$/)
    ])
    let keys = (await apigw.send(new GetApiKeysCommand({}))).items ?? []
    expect(keys.map(k => k.name).sort()).toEqual(['team-a', 'team-b'])
    expect(keys.find(k => k.name === 'team-b')?.tags ?? {}).toEqual({})
    const plans = (await apigw.send(new GetUsagePlansCommand({}))).items ?? []
    // (moto keeps a patched limit as text)
    expect({ ...plans[0].quota, limit: Number(plans[0].quota?.limit) }).toMatchObject({
      limit: 500,
      period: 'DAY'
    })
    aws.proxy.clear()
    const rerun = await run({ ...KEYS, 'api-keys': 'team-a', 'api-key-quota': '500/day' })
    expect(rerun.outcome).toBe('unchanged')
    expect(aws.proxy.writes()).toEqual([])

    const gone = await run({})
    expect(gone.outcome).toBe('updated')
    expect((await apigw.send(new GetUsagePlansCommand({}))).items ?? []).toEqual([])
    keys = (await apigw.send(new GetApiKeysCommand({}))).items ?? []
    expect(keys.map(k => k.name)).toEqual(['team-b'])
    const gateway = await readGateway(aws.proxy.endpoint)
    expect(
      gateway.resources.find(r => r.path === '/{proxy+}')!.resourceMethods?.ANY.apiKeyRequired ?? false
    ).toBe(false)
    aws.proxy.clear()
    expect((await run({})).outcome).toBe('unchanged')
    expect(aws.proxy.requests.some(r => r.operation === 'GET /usageplans')).toBe(false)
  })

  it("keeps each stage's keys to that stage", async () => {
    await run({ 'api-keys': 'alice' })
    await run({ 'api-keys': 'bob', stage: 'prod' })
    aws.proxy.clear()
    expect((await run({ 'api-keys': 'alice' })).outcome).toBe('unchanged')
    expect((await run({ 'api-keys': 'bob', stage: 'prod' })).outcome).toBe('unchanged')
    expect(aws.proxy.writes()).toEqual([])
    const keys = (await testClients(aws.moto.endpoint).apigw.send(new GetApiKeysCommand({}))).items ?? []
    expect(keys.map(k => k.name).sort()).toEqual(['alice', 'bob'])
  })

  it('delete removes the plan and the keys it made, then the API', async () => {
    await run(KEYS)
    const { apigw } = testClients(aws.moto.endpoint)
    await apigw.send(new CreateApiKeyCommand({ name: 'someone-else', enabled: true }))
    expect((await run({ mode: 'delete' })).outcome).toBe('deleted')
    expect((await apigw.send(new GetUsagePlansCommand({}))).items ?? []).toEqual([])
    expect(((await apigw.send(new GetApiKeysCommand({}))).items ?? []).map(k => k.name)).toEqual([
      'someone-else'
    ])
  })

  /** DeleteUsagePlan refused (a run stopped right after it took the plan's stage off). */
  const refuseDeleteUsagePlan = (rec: Recorded): Fault | undefined =>
    rec.method === 'DELETE' && /^\/usageplans\/[^/]+$/.test(rec.path)
      ? { kind: 'status', status: 403, code: 'AccessDeniedException', message: 'stopped here' }
      : undefined

  async function plansAndKeys() {
    const { apigw } = testClients(aws.moto.endpoint)
    return {
      plans: (await apigw.send(new GetUsagePlansCommand({}))).items ?? [],
      keys: ((await apigw.send(new GetApiKeysCommand({}))).items ?? []).map(k => k.name).sort()
    }
  }

  it('a delete stopped between taking the stage off the plan and deleting it: the next one sweeps both', async () => {
    await run(KEYS)
    aws.proxy.options.fault = refuseDeleteUsagePlan
    try {
      await expect(run({ mode: 'delete' })).rejects.toThrow(/stopped here/)
    } finally {
      aws.proxy.options.fault = undefined
    }
    // the plan is left tagged as ours, serving nothing
    const stopped = await plansAndKeys()
    expect(stopped.plans).toHaveLength(1)
    expect(stopped.plans[0].apiStages ?? []).toEqual([])
    expect((await run({ mode: 'delete' })).outcome).toBe('deleted')
    expect(await plansAndKeys()).toEqual({ plans: [], keys: [] })
    expect((await readGateway(aws.moto.endpoint)).apis).toEqual([])
  })

  it('dropping api-keys while DeleteUsagePlan fails: the re-run sweeps the plan', async () => {
    await run(KEYS)
    aws.proxy.options.fault = refuseDeleteUsagePlan
    try {
      await expect(run({})).rejects.toThrow(/stopped here/)
    } finally {
      aws.proxy.options.fault = undefined
    }
    expect((await plansAndKeys()).plans).toHaveLength(1)
    expect((await run({})).outcome).toBe('updated')
    expect(await plansAndKeys()).toEqual({ plans: [], keys: [] })
    aws.proxy.clear()
    expect((await run({})).outcome).toBe('unchanged')
    expect(aws.proxy.writes()).toEqual([])
  })

  /** The state a run stopped right after taking the stage off the gateway's plan leaves, its keys still on. */
  async function strandPlan() {
    const made = await run(KEYS)
    const { apigw } = testClients(aws.moto.endpoint)
    const [plan] = (await apigw.send(new GetUsagePlansCommand({}))).items ?? []
    await apigw.send(
      new UpdateUsagePlanCommand({
        usagePlanId: plan.id,
        patchOperations: [{ op: 'remove', path: '/apiStages', value: `${made.outputs['api-id']}:dev` }]
      })
    )
    return { made, plan }
  }

  it('delete sweeps a plan of the gateway serving nothing and the keys it holds: none is kept as held', async () => {
    await strandPlan()
    expect((await run({ mode: 'delete' })).outcome).toBe('deleted')
    expect(await plansAndKeys()).toEqual({ plans: [], keys: [] })
  })

  it('a re-run sweeps a plan of the gateway serving nothing, and puts the keys it names on a new one', async () => {
    const { made, plan } = await strandPlan()
    const again = await run(KEYS)
    expect(again.outcome).toBe('updated')
    expect(again.outputs['api-key-ids']).toBe(made.outputs['api-key-ids'])
    const { plans, keys } = await plansAndKeys()
    expect(keys).toEqual(['team-a', 'team-b'])
    expect(plans).toHaveLength(1)
    expect(plans[0].id).not.toBe(plan.id)
    expect(plans[0].apiStages).toEqual([{ apiId: made.outputs['api-id'], stage: 'dev' }])
    const { apigw } = testClients(aws.moto.endpoint)
    const attached = (await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: plans[0].id }))).items ?? []
    expect(attached.map(k => k.name).sort()).toEqual(['team-a', 'team-b'])
    aws.proxy.clear()
    expect((await run(KEYS)).outcome).toBe('unchanged')
    expect(aws.proxy.writes()).toEqual([])
  })

  it('a create sweeps a plan of the gateway that serves only an API that is gone', async () => {
    const made = await run(KEYS)
    const { apigw } = testClients(aws.moto.endpoint)
    // deleted by hand (moto keeps the plan's stage of a deleted API)
    await apigw.send(new DeleteRestApiCommand({ restApiId: made.outputs['api-id'] }))
    const again = await run(KEYS)
    expect(again.outcome).toBe('created')
    const { plans, keys } = await plansAndKeys()
    expect(keys).toEqual(['team-a', 'team-b'])
    expect(plans.map(p => p.apiStages)).toEqual([[{ apiId: again.outputs['api-id'], stage: 'dev' }]])
  })

  it('a usage plan deleted, or a key taken off it, with the answer lost: the retry finds it gone (404)', async () => {
    await run(KEYS)
    const lost = new Set<string>()
    aws.proxy.options.fault = rec => {
      if (rec.method !== 'DELETE' || !rec.path.startsWith('/usageplans/')) return undefined
      const kind = rec.path.includes('/keys/') ? 'key' : 'plan'
      if (lost.has(kind)) return undefined
      lost.add(kind)
      return { kind: 'apply-then-status', status: 503, code: 'ServiceUnavailableException' }
    }
    try {
      expect((await run({ mode: 'delete' })).outcome).toBe('deleted')
    } finally {
      aws.proxy.options.fault = undefined
    }
    expect([...lost].sort()).toEqual(['key', 'plan'])
    expect(await plansAndKeys()).toEqual({ plans: [], keys: [] })
  })

  it('delete keeps the keys on a plan of ours that stays, serving a stage a person added to it', async () => {
    const made = await run(KEYS)
    const other = await run({ 'api-name': 'other' })
    const { apigw } = testClients(aws.moto.endpoint)
    const [plan] = (await apigw.send(new GetUsagePlansCommand({}))).items ?? []
    // a person lets their API's clients use the same keys: the plan also serves another stage
    await apigw.send(
      new UpdateUsagePlanCommand({
        usagePlanId: plan.id,
        patchOperations: [{ op: 'add', path: '/apiStages', value: `${other.outputs['api-id']}:dev` }]
      })
    )
    expect((await run({ mode: 'delete' })).outcome).toBe('deleted')
    const left = await plansAndKeys()
    expect(left.plans.map(p => p.apiStages)).toEqual([[{ apiId: other.outputs['api-id'], stage: 'dev' }]])
    // the plan that stays still holds them: they stay with it
    expect(left.keys).toEqual(['team-a', 'team-b'])
    const attached = (await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id }))).items ?? []
    expect(attached.map(k => k.name).sort()).toEqual(['team-a', 'team-b'])
    expect(made.outputs['api-id']).not.toBe(other.outputs['api-id'])
  })

  it("leaves alone a plan serving nothing that another repository's run or a person made, and its keys", async () => {
    const { apigw } = testClients(aws.moto.endpoint)
    const theirs = {
      [Tags.ManagedBy]: 'cortex-rest-gateway',
      [Tags.Repository]: 'octo/other',
      [Tags.ApiName]: 'cortex',
      [Tags.Stage]: 'dev'
    }
    for (const [name, tags] of [
      ['theirs', theirs],
      ['by-hand', {}]
    ] as const) {
      const plan = await apigw.send(new CreateUsagePlanCommand({ name, tags }))
      const key = await apigw.send(new CreateApiKeyCommand({ name: `${name}-key`, enabled: true, tags }))
      await apigw.send(
        new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' })
      )
    }
    await run(KEYS)
    await run({})
    await run(KEYS)
    expect((await run({ mode: 'delete' })).outcome).toBe('deleted')
    const left = await plansAndKeys()
    expect(left.plans.map(p => p.name).sort()).toEqual(['by-hand', 'theirs'])
    expect(left.keys).toEqual(['by-hand-key', 'theirs-key'])
    for (const plan of left.plans) {
      const attached = (await apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: plan.id }))).items ?? []
      expect(attached.map(k => k.name)).toEqual([`${plan.name}-key`])
    }
  })
})
