/**
 * Authorizers against moto server behind the test proxy: a Cognito user pool authorizer and a Lambda one,
 * with the Lambda permission that lets API Gateway invoke the function for this API; read back on their
 * own, kept with no write on a re-run, changed in place, moved between kinds, removed (the action's only).
 */
import { beforeEach, describe, expect, it } from '@jest/globals'
import {
  CreateAuthorizerCommand,
  CreateRestApiCommand,
  GetAuthorizersCommand,
  GetRestApisCommand,
  GetResourcesCommand,
  type Method
} from '@aws-sdk/client-api-gateway'
import { AddPermissionCommand, GetPolicyCommand } from '@aws-sdk/client-lambda'
import { runEngine } from '../src/engine/engine.js'
import { memoryLog } from '../src/report/log.js'
import { createLoadBalancer, REGION, testClients, type SeededLoadBalancer } from './support/aws.js'
import { lambdaAt, makeFunction as makeFunctionAt, makePool as makePoolAt } from './support/authorizer.js'
import { motoBehindProxy } from './support/harness.js'
import { configFrom } from './support/inputs.js'
import type { Recorded } from './support/proxy.js'

const aws = motoBehindProxy({ env: true })
const ACCOUNT = '123456789012'

let lb: SeededLoadBalancer

const lambda = () => lambdaAt(aws.moto.endpoint)
const makeFunction = (name: string) => makeFunctionAt(aws.moto.endpoint, name)
const makePool = (name: string) => makePoolAt(aws.moto.endpoint, name)

/** The function's policy statements, read straight from moto ([] without a policy). */
async function statementsOf(fn: string): Promise<{ Sid: string; Condition?: unknown }[]> {
  try {
    const out = await lambda().send(new GetPolicyCommand({ FunctionName: fn }))
    return (JSON.parse(out.Policy ?? '{}') as { Statement: { Sid: string }[] }).Statement
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return []
    throw error
  }
}

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

const apigw = () => testClients(aws.proxy.endpoint).apigw

async function authorizersOf(apiId: string) {
  return (await apigw().send(new GetAuthorizersCommand({ restApiId: apiId }))).items ?? []
}

/** Each managed method, as `METHOD path` → what authorizes it. */
async function methodsOf(
  apiId: string
): Promise<Record<string, Pick<Method, 'authorizationType' | 'authorizerId' | 'authorizationScopes'>>> {
  const out = await apigw().send(new GetResourcesCommand({ restApiId: apiId, embed: ['methods'] }))
  return Object.fromEntries(
    (out.items ?? []).flatMap(r =>
      Object.entries(r.resourceMethods ?? {}).map(([name, m]) => [
        `${name} ${r.path}`,
        {
          authorizationType: m.authorizationType,
          ...(m.authorizerId ? { authorizerId: m.authorizerId } : {}),
          ...(m.authorizationScopes?.length ? { authorizationScopes: m.authorizationScopes } : {})
        }
      ])
    )
  )
}

const writes = () => aws.proxy.writes().map(r => r.operation)
const reads = () => aws.proxy.requests.filter(r => !r.write).map(r => r.operation)

let fnA: string
let fnB: string
let poolA: string

beforeEach(async () => {
  await aws.moto.reset()
  lb = await createLoadBalancer(aws.moto.endpoint, { name: 'cortex-public', scheme: 'internet-facing' })
  fnA = await makeFunction('auth-a')
  fnB = await makeFunction('auth-b')
  poolA = await makePool('users')
  aws.proxy.clear()
})

const cognito = (more: Record<string, string> = {}) => ({
  authorization: 'COGNITO_USER_POOLS',
  'cognito-user-pool-arns': poolA,
  ...more
})
const custom = (more: Record<string, string> = {}) => ({
  authorization: 'CUSTOM',
  'authorizer-lambda-arn': fnA,
  ...more
})

describe('a Cognito authorizer', () => {
  it('is used by the proxied methods with the scopes, the preflight open; a re-run writes nothing', async () => {
    const made = await run(cognito({ 'authorization-scopes': 'orders/read orders/write' }))
    const apiId = made.outputs['api-id']!
    const [authorizer, ...others] = await authorizersOf(apiId)
    expect(others).toEqual([])
    expect(authorizer).toMatchObject({
      type: 'COGNITO_USER_POOLS',
      providerARNs: [poolA],
      identitySource: 'method.request.header.Authorization'
    })
    expect(authorizer.name).toMatch(/^cortex-rest-gateway-cognito-[0-9a-f]{8}$/)
    expect(made.outputs['authorizer-id']).toBe(authorizer.id)
    expect(made.outputs['execution-arn']).toBe(`arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}`)
    const used = {
      authorizationType: 'COGNITO_USER_POOLS',
      authorizerId: authorizer.id,
      authorizationScopes: ['orders/read', 'orders/write']
    }
    expect(await methodsOf(apiId)).toEqual({
      'ANY /': used,
      'OPTIONS /': { authorizationType: 'NONE' },
      'ANY /{proxy+}': used,
      'OPTIONS /{proxy+}': { authorizationType: 'NONE' }
    })
    // the pool was checked before the authorizer was made
    expect(aws.proxy.requests.map(r => r.operation)).toContain('DescribeUserPool')

    aws.proxy.clear()
    const again = await run(cognito({ 'authorization-scopes': 'orders/read orders/write' }))
    expect(again.outcome).toBe('unchanged')
    expect(writes()).toEqual([])
    expect(again.outputs['authorizer-id']).toBe(authorizer.id)
    // no pool read on a no-op run: GetAuthorizers is the one read the authorizer adds
    expect(reads().filter(o => o === 'DescribeUserPool' || o.includes('authorizers'))).toEqual([
      'GET /restapis/{id}/authorizers'
    ])
  })
})

describe('a Lambda authorizer', () => {
  it('is made with one permission statement naming this API, and a re-run writes and reads no policy', async () => {
    const made = await run(custom({ 'authorizer-ttl': '60' }))
    const apiId = made.outputs['api-id']!
    const [authorizer, ...others] = await authorizersOf(apiId)
    expect(others).toEqual([])
    expect(authorizer).toMatchObject({
      name: 'cortex-rest-gateway-lambda-token-7a5f2bcb',
      type: 'TOKEN',
      authorizerUri: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${fnA}/invocations`,
      identitySource: 'method.request.header.Authorization',
      authorizerResultTtlInSeconds: 60
    })
    expect(made.outputs['authorizer-id']).toBe(authorizer.id)
    expect((await methodsOf(apiId))['ANY /{proxy+}']).toEqual({
      authorizationType: 'CUSTOM',
      authorizerId: authorizer.id
    })
    expect((await methodsOf(apiId))['OPTIONS /{proxy+}']).toEqual({ authorizationType: 'NONE' })
    const statements = await statementsOf(fnA)
    expect(statements).toHaveLength(1)
    expect(statements[0]).toMatchObject({
      Sid: `cortex-rest-gateway-${apiId}`,
      Effect: 'Allow',
      Principal: { Service: 'apigateway.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Condition: {
        ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}/authorizers/*` }
      }
    })
    // the authorizer naming the function is there before its statement (so no statement goes unaccounted)
    const ops = writes()
    expect(ops.indexOf('POST /restapis/{id}/authorizers')).toBeLessThan(
      ops.indexOf('POST /2015-03-31/functions/{fn}/policy')
    )

    aws.proxy.clear()
    const again = await run(custom({ 'authorizer-ttl': '60' }))
    expect(again.outcome).toBe('unchanged')
    expect(writes()).toEqual([])
    expect(aws.proxy.requests.filter(r => r.service === 'lambda')).toEqual([])
  })

  it('changes the TTL and the identity source in place, with a redeploy', async () => {
    const made = await run(custom())
    const apiId = made.outputs['api-id']!
    const before = (await authorizersOf(apiId))[0]
    aws.proxy.clear()
    const changed = await run(
      custom({ 'authorizer-ttl': '0', 'authorizer-identity-source': 'method.request.header.X-Token' })
    )
    expect(changed.steps).toContainEqual(
      `update authorizer ${before.id} ("cortex-rest-gateway-lambda-token-7a5f2bcb"): identity source ` +
        'method.request.header.Authorization → method.request.header.X-Token, TTL 300 s → 0 s'
    )
    expect(writes()).toEqual([
      'PATCH /restapis/{id}/authorizers/{id}',
      'POST /restapis/{id}/deployments',
      'PATCH /restapis/{id}/stages/{id}'
    ])
    expect(await authorizersOf(apiId)).toEqual([
      expect.objectContaining({
        id: before.id,
        authorizerResultTtlInSeconds: 0,
        identitySource: 'method.request.header.X-Token'
      })
    ])
    aws.proxy.clear()
    await run(
      custom({ 'authorizer-ttl': '0', 'authorizer-identity-source': 'method.request.header.X-Token' })
    )
    expect(writes()).toEqual([])
  })
})

describe('moving between kinds', () => {
  it("Cognito → Lambda → another function → NONE: ours deleted, our statements removed, a person's kept", async () => {
    const made = await run(cognito())
    const apiId = made.outputs['api-id']!
    const { id: cognitoId, name: cognitoName } = (await authorizersOf(apiId))[0]
    // a person's authorizer on our API, and a person's statement on both functions
    const theirs = await apigw().send(
      new CreateAuthorizerCommand({
        restApiId: apiId,
        name: 'their-authorizer',
        type: 'TOKEN',
        authorizerUri: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${fnA}/invocations`,
        identitySource: 'method.request.header.Authorization'
      })
    )
    for (const fn of [fnA, fnB])
      await lambda().send(
        new AddPermissionCommand({
          FunctionName: fn,
          StatementId: 'their-statement',
          Action: 'lambda:InvokeFunction',
          Principal: 'apigateway.amazonaws.com'
        })
      )

    const toLambda = await run(custom())
    const lambdaAuth = (await authorizersOf(apiId)).find(
      a => a.name === 'cortex-rest-gateway-lambda-token-7a5f2bcb'
    )!
    expect((await authorizersOf(apiId)).map(a => a.id).sort()).toEqual([lambdaAuth.id, theirs.id].sort())
    expect(toLambda.outputs['authorizer-id']).toBe(lambdaAuth.id)
    expect((await methodsOf(apiId))['ANY /']).toEqual({
      authorizationType: 'CUSTOM',
      authorizerId: lambdaAuth.id
    })
    expect(toLambda.steps).toContain(
      `delete authorizer ${cognitoId} ("${cognitoName}"), which the methods no longer use`
    )
    expect((await statementsOf(fnA)).map(s => s.Sid).sort()).toEqual([
      `cortex-rest-gateway-${apiId}`,
      'their-statement'
    ])

    // another function: another authorizer (none patched in place), the statement moves with it
    await run(custom({ 'authorizer-lambda-arn': fnB }))
    const ofB = (await authorizersOf(apiId)).filter(a => a.id !== theirs.id)
    expect(ofB.map(a => a.name)).toEqual(['cortex-rest-gateway-lambda-token-063d12cd'])
    expect(ofB[0]?.authorizerUri).toContain(fnB)
    expect((await statementsOf(fnA)).map(s => s.Sid)).toEqual(['their-statement'])
    expect((await statementsOf(fnB)).map(s => s.Sid).sort()).toEqual([
      `cortex-rest-gateway-${apiId}`,
      'their-statement'
    ])

    const none = await run({})
    expect(none.outputs['authorizer-id']).toBe('')
    expect((await authorizersOf(apiId)).map(a => a.id)).toEqual([theirs.id])
    expect((await methodsOf(apiId))['ANY /']).toEqual({ authorizationType: 'NONE' })
    expect((await statementsOf(fnB)).map(s => s.Sid)).toEqual(['their-statement'])
    expect((await statementsOf(fnA)).map(s => s.Sid)).toEqual(['their-statement'])
    aws.proxy.clear()
    await run({})
    expect(writes()).toEqual([])
  })

  it('AWS_IAM → Lambda: the methods move to the authorizer; execution-arn names the API', async () => {
    const made = await run({ authorization: 'AWS_IAM' })
    const apiId = made.outputs['api-id']!
    expect(made.outputs['execution-arn']).toBe(`arn:aws:execute-api:${REGION}:${ACCOUNT}:${apiId}`)
    expect(made.outputs['authorizer-id']).toBe('')
    const moved = await run(
      custom({
        'authorizer-type': 'REQUEST',
        'authorizer-identity-source': 'method.request.header.X-Key, method.request.querystring.key'
      })
    )
    const [a] = await authorizersOf(apiId)
    expect(a).toMatchObject({
      name: 'cortex-rest-gateway-lambda-request-7a5f2bcb',
      type: 'REQUEST',
      identitySource: 'method.request.header.X-Key, method.request.querystring.key'
    })
    expect(moved.outputs['authorizer-id']).toBe(a.id)
  })
})

describe('delete', () => {
  it('removes our statement from the function, and only ours, before the API goes', async () => {
    const made = await run(custom())
    const apiId = made.outputs['api-id']!
    await lambda().send(
      new AddPermissionCommand({
        FunctionName: fnA,
        StatementId: 'their-statement',
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com'
      })
    )
    aws.proxy.clear()
    await run({ mode: 'delete' })
    expect((await statementsOf(fnA)).map(s => s.Sid)).toEqual(['their-statement'])
    const ops = writes()
    expect(ops).toContain(`DELETE /2015-03-31/functions/{fn}/policy/{sid}`)
    expect(ops.indexOf('DELETE /2015-03-31/functions/{fn}/policy/{sid}')).toBeLessThan(
      ops.indexOf('DELETE /restapis/{id}')
    )
    expect(aws.proxy.writes().find(w => w.service === 'lambda')?.path).toContain(
      `cortex-rest-gateway-${apiId}`
    )
  })
})

describe('bad inputs', () => {
  it.each([
    [
      'a pool that is not there',
      () =>
        cognito({
          'cognito-user-pool-arns': `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${REGION}_nothere1`
        }),
      /Input 'cognito-user-pool-arns'.*no such Cognito user pool/
    ],
    [
      'a function that is not there',
      () => custom({ 'authorizer-lambda-arn': `arn:aws:lambda:${REGION}:${ACCOUNT}:function:nothere` }),
      /Input 'authorizer-lambda-arn'.*no such Lambda function/
    ]
  ])('refuses %s, naming the input, before any write', async (_what, inputs, message) => {
    await expect(run(inputs())).rejects.toThrow(message)
    expect(writes()).toEqual([])
  })

  it('refuses a function that is gone when the authorizer changes, before any write', async () => {
    await run(custom())
    aws.proxy.clear()
    const gone = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:gone`
    await expect(run(custom({ 'authorizer-lambda-arn': gone }))).rejects.toThrow(
      /Input 'authorizer-lambda-arn'/
    )
    expect(writes()).toEqual([])
  })
})

/** The writes of a move from Cognito to Lambda, and from Lambda to NONE, run through. */
const TO_LAMBDA = [
  'POST /restapis/{id}/authorizers',
  'POST /2015-03-31/functions/{fn}/policy',
  'DELETE /restapis/{id}/resources/{id}/methods/{m}',
  'DELETE /restapis/{id}/resources/{id}/methods/{m}',
  'PUT /restapis/{id}/resources/{id}/methods/{m}',
  'PUT /restapis/{id}/resources/{id}/methods/{m}',
  'PUT /restapis/{id}/resources/{id}/methods/{m}/integration',
  'PUT /restapis/{id}/resources/{id}/methods/{m}/integration',
  'POST /restapis/{id}/deployments',
  'PATCH /restapis/{id}/stages/{id}',
  'DELETE /restapis/{id}/authorizers/{id}'
]
const TO_NONE = [
  'DELETE /restapis/{id}/resources/{id}/methods/{m}',
  'DELETE /restapis/{id}/resources/{id}/methods/{m}',
  'PUT /restapis/{id}/resources/{id}/methods/{m}',
  'PUT /restapis/{id}/resources/{id}/methods/{m}',
  'PUT /restapis/{id}/resources/{id}/methods/{m}/integration',
  'PUT /restapis/{id}/resources/{id}/methods/{m}/integration',
  'POST /restapis/{id}/deployments',
  'PATCH /restapis/{id}/stages/{id}',
  'DELETE /2015-03-31/functions/{fn}/policy/{sid}',
  'DELETE /restapis/{id}/authorizers/{id}'
]

describe('a run stopped after each write', () => {
  it('makes these writes, run through', async () => {
    await run(cognito())
    aws.proxy.clear()
    await run(custom())
    expect(writes().sort()).toEqual([...TO_LAMBDA].sort())
    expect(writes()[0]).toBe(TO_LAMBDA[0])
    expect(writes().at(-1)).toBe(TO_LAMBDA.at(-1))
    aws.proxy.clear()
    await run({})
    expect(writes().sort()).toEqual([...TO_NONE].sort())
    expect(writes().slice(-2)).toEqual(TO_NONE.slice(-2))
  })

  const WRITES = TO_LAMBDA.length
  it.each(Array.from({ length: WRITES }, (_, i) => i + 1))(
    'Cognito → Lambda stopped after write %i: the next run converges',
    async k => {
      const made = await run(cognito())
      const apiId = made.outputs['api-id']!
      let stoppedAt: Recorded | undefined
      aws.proxy.clear()
      aws.proxy.options.fault = (rec, c) => {
        if (!rec.write || c.writeIndex !== k) return undefined
        stoppedAt = rec
        return { kind: 'apply-then-status', status: 400, code: 'BadRequestException', message: 'stops here' }
      }
      await run(custom()).catch(() => undefined)
      aws.proxy.options.fault = undefined
      try {
        const again = await run(custom())
        const all = await authorizersOf(apiId)
        expect(all.map(a => a.name)).toEqual(['cortex-rest-gateway-lambda-token-7a5f2bcb'])
        expect(again.outputs['authorizer-id']).toBe(all[0].id)
        expect((await methodsOf(apiId))['ANY /{proxy+}']).toEqual({
          authorizationType: 'CUSTOM',
          authorizerId: all[0].id
        })
        expect((await statementsOf(fnA)).map(s => s.Sid)).toEqual([`cortex-rest-gateway-${apiId}`])
        aws.proxy.clear()
        await run(custom())
        expect(writes()).toEqual([])
      } catch (error) {
        throw new Error(`after write ${k} (${stoppedAt?.operation}): ${String(error)}`, { cause: error })
      }
    }
  )

  it.each(Array.from({ length: TO_NONE.length }, (_, i) => i + 1))(
    'Lambda → NONE stopped after write %i: the next run converges',
    async k => {
      const made = await run(custom())
      const apiId = made.outputs['api-id']!
      let stoppedAt: Recorded | undefined
      aws.proxy.clear()
      aws.proxy.options.fault = (rec, c) => {
        if (!rec.write || c.writeIndex !== k) return undefined
        stoppedAt = rec
        return { kind: 'apply-then-status', status: 400, code: 'BadRequestException', message: 'stops here' }
      }
      await run({}).catch(() => undefined)
      aws.proxy.options.fault = undefined
      try {
        await run({})
        expect(await authorizersOf(apiId)).toEqual([])
        expect(await statementsOf(fnA)).toEqual([])
      } catch (error) {
        throw new Error(`after write ${k} (${stoppedAt?.operation}): ${String(error)}`, { cause: error })
      }
    }
  )
})

describe('two stages of one API', () => {
  const sids = async (fn: string) => (await statementsOf(fn)).map(s => s.Sid)

  it('a stage moving to another function keeps what the other stage still serves, until it moves too', async () => {
    const apiId = (await run(custom({ stage: 'dev' }))).outputs['api-id']!
    await run(custom({ stage: 'prod' }))
    const [tokenA] = await authorizersOf(apiId)

    // dev moves to fnB; prod, not redeployed, still serves the authorizer that invokes fnA
    const log = memoryLog()
    await run(custom({ stage: 'dev', 'authorizer-lambda-arn': fnB }), log)
    expect((await authorizersOf(apiId)).map(a => a.id)).toContain(tokenA.id)
    expect(await sids(fnA)).toEqual([`cortex-rest-gateway-${apiId}`])
    expect(await sids(fnB)).toEqual([`cortex-rest-gateway-${apiId}`])
    expect(log.lines.join('\n')).toContain('stage prod may still serve it')

    // prod moves too: now nothing serves fnA's authorizer
    await run(custom({ stage: 'prod', 'authorizer-lambda-arn': fnB }))
    expect((await authorizersOf(apiId)).map(a => a.id)).not.toContain(tokenA.id)
    expect(await sids(fnA)).toEqual([])
    expect(await sids(fnB)).toEqual([`cortex-rest-gateway-${apiId}`])
  })

  it('a stage moving to NONE keeps the authorizer and statement another stage serves, until it moves', async () => {
    const apiId = (await run(custom({ stage: 'dev' }))).outputs['api-id']!
    await run(custom({ stage: 'prod' }))
    const [tokenA] = await authorizersOf(apiId)

    await run({ stage: 'dev' })
    expect((await authorizersOf(apiId)).map(a => a.id)).toEqual([tokenA.id])
    expect(await sids(fnA)).toEqual([`cortex-rest-gateway-${apiId}`])

    await run({ stage: 'prod' })
    expect(await authorizersOf(apiId)).toEqual([])
    expect(await sids(fnA)).toEqual([])
  })
})

describe('a run stopped half-way leaves no statement behind', () => {
  const sids = async (fn: string) => (await statementsOf(fn)).map(s => s.Sid)
  const stopAfterLambdaWrite = () => {
    aws.proxy.options.fault = rec =>
      rec.write && rec.service === 'lambda'
        ? { kind: 'apply-then-status', status: 400, code: 'BadRequestException', message: 'stops here' }
        : undefined
  }

  it('stopped right after AddPermission, then NONE: the statement goes', async () => {
    stopAfterLambdaWrite()
    await expect(run(custom())).rejects.toThrow()
    aws.proxy.options.fault = undefined
    await run({})
    expect(await sids(fnA)).toEqual([])
  })

  it('stopped right after AddPermission, then delete: the statement goes', async () => {
    stopAfterLambdaWrite()
    await expect(run(custom())).rejects.toThrow()
    aws.proxy.options.fault = undefined
    await run({ mode: 'delete' })
    expect(await sids(fnA)).toEqual([])
  })

  it("fnA → fnB stopped right after fnB's AddPermission: the next run removes fnA's statement", async () => {
    const apiId = (await run(custom())).outputs['api-id']!
    stopAfterLambdaWrite()
    await expect(run(custom({ 'authorizer-lambda-arn': fnB }))).rejects.toThrow()
    aws.proxy.options.fault = undefined
    const again = await run(custom({ 'authorizer-lambda-arn': fnB }))
    // the step names the API's statement, the API being there
    expect(again.steps).toContain(
      `let API Gateway invoke ${fnB} for this API's authorizers (statement cortex-rest-gateway-${apiId})`
    )
    expect(await sids(fnB)).toEqual([`cortex-rest-gateway-${apiId}`])
    expect(await sids(fnA)).toEqual([])
    expect((await authorizersOf(apiId)).map(a => a.name)).toEqual([
      'cortex-rest-gateway-lambda-token-063d12cd'
    ])
  })
})

describe('a twin the race cleanup deletes', () => {
  it('takes its Lambda statement along, and leaves the kept API its own', async () => {
    const apiId = (await run(custom())).outputs['api-id']!
    // a racing run's API, made a second later (so the first is kept), which got as far as its authorizer
    // and statement
    await new Promise(r => setTimeout(r, 1100))
    const moto = testClients(aws.moto.endpoint).apigw
    const twin = await moto.send(
      new CreateRestApiCommand({
        name: 'cortex',
        tags: {
          'cortex-rest-gateway:managed-by': 'cortex-rest-gateway',
          'cortex-rest-gateway:repository': 'octo/app'
        }
      })
    )
    await moto.send(
      new CreateAuthorizerCommand({
        restApiId: twin.id,
        name: 'cortex-rest-gateway-lambda-token-7a5f2bcb',
        type: 'TOKEN',
        authorizerUri: `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/${fnA}/invocations`,
        identitySource: 'method.request.header.Authorization'
      })
    )
    await lambda().send(
      new AddPermissionCommand({
        FunctionName: fnA,
        StatementId: `cortex-rest-gateway-${twin.id}`,
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:${twin.id}/authorizers/*`
      })
    )
    const again = await run(custom())
    expect(again.outputs['api-id']).toBe(apiId)
    expect(((await apigw().send(new GetRestApisCommand({}))).items ?? []).map(a => a.id)).toEqual([apiId])
    expect((await statementsOf(fnA)).map(s => s.Sid)).toEqual([`cortex-rest-gateway-${apiId}`])
  })
})

describe("a user pool of another account than the API's", () => {
  it('is taken unchecked (DescribeUserPool here cannot see it), with a notice', async () => {
    const other = poolA.replace(`:${ACCOUNT}:`, ':999999999999:')
    const log = memoryLog()
    const made = await run(cognito({ 'cognito-user-pool-arns': other }), log)
    const [auth] = await authorizersOf(made.outputs['api-id']!)
    expect(auth?.providerARNs).toEqual([other])
    expect(log.lines).toContain(
      `notice: User pool "${other}" is of another account than the API's (${ACCOUNT}): not checked ` +
        "(DescribeUserPool sees this account's pools only); API Gateway takes it as given"
    )
    expect(aws.proxy.requests.filter(r => r.operation === 'DescribeUserPool')).toEqual([])
  })
})
