/** Authorizers, the pure parts: the inputs read and refused, the planner's answers written out. */
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/base/errors.js'
import type { CreateConfig } from '../src/config/inputs.js'
import { desiredResources } from '../src/core/desired.js'
import { methodMatches } from '../src/core/diff.js'
import {
  accountOf,
  executionArn,
  planAuthorizer,
  planAuthorizerDelete,
  type AuthorizerInput
} from '../src/features/authorizer/plan.js'
import { NEW_AUTHORIZER, type AuthorizerState, type ResourceState } from '../src/model/model.js'
import { configFrom } from './support/inputs.js'
import { mockClient } from 'aws-sdk-client-mock'
import * as lambdaModule from '@aws-sdk/client-lambda'
import { AddPermissionCommand, LambdaClient, RemovePermissionCommand } from '@aws-sdk/client-lambda'
import { addPermission, removePermission } from '../src/features/authorizer/aws.js'
import { memoryLog } from '../src/report/log.js'
import type { AwsContext } from '../src/aws/context.js'

const LB = 'cortex-1.elb.us-west-2.amazonaws.com'
const POOL = 'arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_AbC123'
const POOL2 = 'arn:aws:cognito-idp:us-west-2:123456789012:userpool/us-west-2_XyZ789'
const FN = 'arn:aws:lambda:us-west-2:123456789012:function:auth'
const FN2 = 'arn:aws:lambda:us-west-2:123456789012:function:auth2'
const URI = (fn: string) => `arn:aws:apigateway:us-west-2:lambda:path/2015-03-31/functions/${fn}/invocations`

const create = (inputs: Record<string, string>) =>
  configFrom({ 'load-balancer': LB, ...inputs }, { GITHUB_REPOSITORY: 'octo/app' }) as CreateConfig

function refusal(inputs: Record<string, string>): { input: string; message: string } {
  try {
    create(inputs)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return { input: (error as InputError).input, message: (error as Error).message }
  }
  throw new Error('not refused')
}

describe('the inputs', () => {
  it('reads a Cognito authorizer: pools comma or line separated, scopes by spaces', () => {
    expect(
      create({
        authorization: 'cognito_user_pools',
        'cognito-user-pool-arns': `${POOL},\n${POOL2}`,
        'authorization-scopes': 'orders/read  orders/write'
      }).authorizer
    ).toEqual({ kind: 'cognito', userPoolArns: [POOL, POOL2], scopes: ['orders/read', 'orders/write'] })
  })

  it('reads a Lambda authorizer with its defaults, and with each input given', () => {
    expect(create({ authorization: 'CUSTOM', 'authorizer-lambda-arn': FN }).authorizer).toEqual({
      kind: 'lambda',
      functionArn: FN,
      type: 'TOKEN',
      identitySource: 'method.request.header.Authorization',
      ttl: 300
    })
    expect(
      create({
        authorization: 'CUSTOM',
        'authorizer-lambda-arn': `${FN}:live`,
        'authorizer-type': 'request',
        'authorizer-identity-source': 'method.request.header.X-Key,method.request.querystring.key',
        'authorizer-ttl': '0'
      }).authorizer
    ).toEqual({
      kind: 'lambda',
      functionArn: `${FN}:live`,
      type: 'REQUEST',
      identitySource: 'method.request.header.X-Key, method.request.querystring.key',
      ttl: 0
    })
  })

  it('has no authorizer for NONE and AWS_IAM, whose runs the action passes every default (action.yml)', () => {
    const defaults = {
      'authorizer-type': 'TOKEN',
      'authorizer-identity-source': 'method.request.header.Authorization',
      'authorizer-ttl': '300'
    }
    expect(create(defaults).authorizer).toBeUndefined()
    expect(create({ authorization: 'AWS_IAM', ...defaults }).authorizer).toBeUndefined()
  })

  it.each([
    [{ authorization: 'COGNITO_USER_POOLS' }, 'cognito-user-pool-arns', /is required/],
    [{ authorization: 'CUSTOM' }, 'authorizer-lambda-arn', /is required/],
    [
      { 'cognito-user-pool-arns': POOL },
      'cognito-user-pool-arns',
      /needs 'authorization: COGNITO_USER_POOLS'/
    ],
    [{ 'authorization-scopes': 'a/b' }, 'authorization-scopes', /needs 'authorization: COGNITO_USER_POOLS'/],
    [
      { authorization: 'CUSTOM', 'authorizer-lambda-arn': FN, 'authorization-scopes': 'a/b' },
      'authorization-scopes',
      /it is CUSTOM/
    ],
    [
      { authorization: 'AWS_IAM', 'authorizer-lambda-arn': FN },
      'authorizer-lambda-arn',
      /needs 'authorization: CUSTOM'/
    ],
    [{ 'authorizer-ttl': '60' }, 'authorizer-ttl', /needs 'authorization: CUSTOM'/],
    [
      { authorization: 'COGNITO_USER_POOLS', 'cognito-user-pool-arns': POOL, 'authorizer-type': 'REQUEST' },
      'authorizer-type',
      /CUSTOM/
    ],
    [
      { authorization: 'COGNITO_USER_POOLS', 'cognito-user-pool-arns': 'us-west-2_AbC123' },
      'cognito-user-pool-arns',
      /not a Cognito user pool ARN/
    ],
    [
      {
        authorization: 'COGNITO_USER_POOLS',
        'cognito-user-pool-arns': POOL.replace(/us-west-2/g, 'eu-west-1')
      },
      'cognito-user-pool-arns',
      /is in eu-west-1, but the API is in us-west-2/
    ],
    [
      {
        authorization: 'COGNITO_USER_POOLS',
        'cognito-user-pool-arns': 'arn:aws-cn:cognito-idp:us-west-2:999999999999:userpool/us-west-2_AbC123'
      },
      'cognito-user-pool-arns',
      /is in partition aws-cn, but the API's region us-west-2 is in aws/
    ],
    [
      {
        region: 'us-gov-west-1',
        'load-balancer': 'cortex-public',
        authorization: 'COGNITO_USER_POOLS',
        'cognito-user-pool-arns':
          'arn:aws:cognito-idp:us-gov-west-1:123456789012:userpool/us-gov-west-1_AbC123'
      },
      'cognito-user-pool-arns',
      /is in partition aws, but the API's region us-gov-west-1 is in aws-us-gov/
    ],
    [
      {
        authorization: 'COGNITO_USER_POOLS',
        'cognito-user-pool-arns': 'arn:aws:cognito-idp:us-west-2:123456789012:userpool/eu-west-1_AbC123'
      },
      'cognito-user-pool-arns',
      /its pool id names eu-west-1, but the ARN names us-west-2/
    ],
    [
      { authorization: 'COGNITO_USER_POOLS', 'cognito-user-pool-arns': POOL, 'authorization-scopes': 'a"b' },
      'authorization-scopes',
      /not an OAuth scope/
    ],
    [
      { authorization: 'CUSTOM', 'authorizer-lambda-arn': 'auth' },
      'authorizer-lambda-arn',
      /not a Lambda function ARN/
    ],
    [
      { authorization: 'CUSTOM', 'authorizer-lambda-arn': FN.replace('us-west-2', 'us-east-1') },
      'authorizer-lambda-arn',
      /is in us-east-1, but the API is in us-west-2/
    ],
    [
      { authorization: 'CUSTOM', 'authorizer-lambda-arn': FN, 'authorizer-type': 'JWT' },
      'authorizer-type',
      /"JWT" is not one of 'TOKEN', 'REQUEST'/
    ],
    [
      { authorization: 'CUSTOM', 'authorizer-lambda-arn': FN, 'authorizer-ttl': '3601' },
      'authorizer-ttl',
      /0 to 3600/
    ],
    [
      { authorization: 'CUSTOM', 'authorizer-lambda-arn': FN, 'authorizer-ttl': '-1' },
      'authorizer-ttl',
      /0 to 3600/
    ],
    [
      { authorization: 'CUSTOM', 'authorizer-lambda-arn': FN, 'authorizer-ttl': '1.5' },
      'authorizer-ttl',
      /0 to 3600/
    ],
    [
      {
        authorization: 'CUSTOM',
        'authorizer-lambda-arn': FN,
        'authorizer-identity-source': 'method.request.querystring.k'
      },
      'authorizer-identity-source',
      /a TOKEN authorizer reads one header/
    ],
    ...['method.request.path.id', 'method.request.multivalueheader.X', 'method.request.body'].map(
      (source): [Record<string, string>, string, RegExp] => [
        {
          authorization: 'CUSTOM',
          'authorizer-lambda-arn': FN,
          'authorizer-type': 'REQUEST',
          'authorizer-identity-source': `method.request.header.A, ${source}`
        },
        'authorizer-identity-source',
        /not an identity source/
      ]
    ),
    [
      { authorization: 'CUSTOM', 'authorizer-lambda-arn': FN, 'authorizer-identity-source': 'Authorization' },
      'authorizer-identity-source',
      /not an identity source/
    ]
  ])('%j is refused, naming %s', (inputs, input, message) => {
    const r = refusal(inputs)
    expect(r.input).toBe(input)
    expect(r.message).toMatch(message)
  })

  it.each<[Record<string, string>, string]>([
    [
      { authorization: 'CUSTOM', 'authorizer-lambda-arn': FN, 'cognito-user-pool-arns': POOL },
      "Input 'cognito-user-pool-arns': needs 'authorization: COGNITO_USER_POOLS' (it is CUSTOM): " +
        'the pools and scopes are what a Cognito authorizer checks'
    ],
    [
      { authorization: 'COGNITO_USER_POOLS' },
      "Input 'cognito-user-pool-arns': is required with 'authorization: COGNITO_USER_POOLS': the user pools " +
        'whose tokens are let in (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID)'
    ],
    [
      {
        authorization: 'COGNITO_USER_POOLS',
        'cognito-user-pool-arns': 'arn:aws:cognito-idp:us-west-2:123456789012:userpool/eu-west-1_AbC123'
      },
      `Input 'cognito-user-pool-arns': "arn:aws:cognito-idp:us-west-2:123456789012:userpool/eu-west-1_AbC123": ` +
        "its pool id names eu-west-1, but the ARN names us-west-2 (a pool's id begins with its own region): " +
        'copy the ARN of the pool as Cognito shows it'
    ],
    [
      { authorization: 'CUSTOM' },
      "Input 'authorizer-lambda-arn': is required with 'authorization: CUSTOM': the Lambda function that " +
        'decides (arn:aws:lambda:REGION:ACCOUNT:function:NAME)'
    ],
    [
      { authorization: 'CUSTOM', 'authorizer-lambda-arn': FN, 'authorizer-identity-source': 'Authorization' },
      `Input 'authorizer-identity-source': "Authorization" is not an identity source such as ` +
        'method.request.header.Authorization (method.request.header.NAME, method.request.querystring.NAME, ' +
        'stageVariables.NAME or context.NAME)'
    ],
    [
      {
        authorization: 'CUSTOM',
        'authorizer-lambda-arn': FN,
        'authorizer-identity-source': 'method.request.header.A, method.request.header.B'
      },
      "Input 'authorizer-identity-source': a TOKEN authorizer reads one header (method.request.header.NAME): " +
        "use 'authorizer-type: REQUEST' for other sources"
    ]
  ])('%j is refused in these words', (inputs, message) => {
    expect(refusal(inputs).message).toBe(message)
  })

  it('takes for REQUEST the identity sources AWS takes: headers, query strings, stage and context variables', () => {
    const sources =
      'method.request.header.A, method.request.querystring.q, stageVariables.v, context.identity.sourceIp'
    expect(
      create({
        authorization: 'CUSTOM',
        'authorizer-lambda-arn': FN,
        'authorizer-type': 'REQUEST',
        'authorizer-identity-source': sources
      }).authorizer
    ).toMatchObject({ identitySource: sources })
  })

  it('takes 3600 s, the longest TTL AWS caches for', () => {
    expect(
      create({ authorization: 'CUSTOM', 'authorizer-lambda-arn': FN, 'authorizer-ttl': '3600' }).authorizer
    ).toMatchObject({ ttl: 3600 })
  })
})

/** 8 hex of sha256(FN), written out. */
const TOKEN_FN = 'cortex-rest-gateway-lambda-token-baf43d66'
const LAMBDA_AUTH: AuthorizerState = {
  id: 'auth1',
  name: TOKEN_FN,
  type: 'TOKEN',
  providerArns: [],
  authorizerUri: URI(FN),
  identitySource: 'method.request.header.Authorization',
  ttl: 300
}
const THEIRS: AuthorizerState = {
  ...LAMBDA_AUTH,
  id: 'their1',
  name: 'their-authorizer',
  authorizerUri: URI(FN2)
}

/** The proxied methods, each using `authorizerId` (none: NONE). */
function resources(
  authorizerId?: string,
  extra: Record<string, { authorizerId?: string }> = {}
): ResourceState[] {
  const m = { authorizationType: authorizerId ? 'CUSTOM' : 'NONE', authorizerId, responses: {} }
  return [
    { id: 'r', path: '/', methods: { ANY: m } },
    {
      id: 'p',
      path: '/{proxy+}',
      methods: {
        ANY: m,
        ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { ...v, responses: {} }]))
      }
    }
  ]
}

const lambdaWant = (more: Partial<{ functionArn: string; ttl: number; type: 'TOKEN' | 'REQUEST' }> = {}) => ({
  kind: 'lambda' as const,
  functionArn: FN,
  type: 'TOKEN' as const,
  identitySource: 'method.request.header.Authorization',
  ttl: 300,
  ...more
})

const input = (more: Partial<AuthorizerInput>): AuthorizerInput => ({
  region: 'us-west-2',
  account: '123456789012',
  apiId: 'api1',
  found: [],
  resources: [],
  ...more
})

describe('the planner', () => {
  it('makes a new API its Lambda authorizer named after the function, then the permission', () => {
    const p = planAuthorizer(input({ want: lambdaWant(), apiId: undefined }))
    expect(p.before).toEqual([
      {
        op: 'create-authorizer',
        authorizer: {
          name: 'cortex-rest-gateway-lambda-token-baf43d66',
          type: 'TOKEN',
          providerArns: [],
          authorizerUri: URI(FN),
          identitySource: 'method.request.header.Authorization',
          ttl: 300
        }
      },
      { op: 'add-lambda-permission', functionArn: FN, account: '123456789012' }
    ])
    expect(p.after).toEqual([])
    expect(p.use).toEqual({ authorizerId: NEW_AUTHORIZER })
  })

  it('plans nothing when the authorizer is as wanted and the methods use it', () => {
    const p = planAuthorizer(
      input({ want: lambdaWant(), found: [LAMBDA_AUTH, THEIRS], resources: resources('auth1') })
    )
    expect(p).toEqual({ use: { authorizerId: 'auth1' }, before: [], after: [], notes: [] })
  })

  it('adds the permission again where the methods do not use the authorizer yet (a run that stopped)', () => {
    const p = planAuthorizer(input({ want: lambdaWant(), found: [LAMBDA_AUTH], resources: resources() }))
    expect(p.before).toEqual([
      { op: 'add-lambda-permission', functionArn: FN, account: '123456789012', apiId: 'api1' }
    ])
  })

  it('changes the TTL in place, with no permission write', () => {
    const p = planAuthorizer(
      input({ want: lambdaWant({ ttl: 60 }), found: [LAMBDA_AUTH], resources: resources('auth1') })
    )
    expect(p.before).toEqual([
      {
        op: 'update-authorizer',
        authorizerId: 'auth1',
        name: TOKEN_FN,
        patches: [{ op: 'replace', path: '/authorizerResultTtlInSeconds', value: '60' }],
        changes: [{ what: 'TTL', from: '300 s', to: '60 s' }]
      }
    ])
    expect(p.after).toEqual([])
  })

  it('another function is another authorizer (none patched in place); the old one and its statement go after', () => {
    const p = planAuthorizer(
      input({ want: lambdaWant({ functionArn: FN2 }), found: [LAMBDA_AUTH], resources: resources('auth1') })
    )
    expect(p.before).toEqual([
      {
        op: 'create-authorizer',
        authorizer: {
          name: 'cortex-rest-gateway-lambda-token-2e617627',
          type: 'TOKEN',
          providerArns: [],
          authorizerUri: URI(FN2),
          identitySource: 'method.request.header.Authorization',
          ttl: 300
        }
      },
      { op: 'add-lambda-permission', functionArn: FN2, account: '123456789012', apiId: 'api1' }
    ])
    expect(p.after).toEqual([
      { op: 'remove-lambda-permission', functionArn: FN, apiId: 'api1' },
      { op: 'delete-authorizer', authorizerId: 'auth1', name: TOKEN_FN }
    ])
  })

  it("moves to NONE: removes our statement, then our authorizer; a person's stays", () => {
    const p = planAuthorizer(input({ found: [LAMBDA_AUTH, THEIRS], resources: resources('auth1') }))
    expect(p.use).toBeUndefined()
    expect(p.before).toEqual([])
    expect(p.after).toEqual([
      { op: 'remove-lambda-permission', functionArn: FN, apiId: 'api1' },
      { op: 'delete-authorizer', authorizerId: 'auth1', name: TOKEN_FN }
    ])
  })

  it('TOKEN → REQUEST is a new authorizer (AWS changes no type in place); the statement stays on the function', () => {
    const p = planAuthorizer(
      input({ want: lambdaWant({ type: 'REQUEST' }), found: [LAMBDA_AUTH], resources: resources('auth1') })
    )
    expect(p.before.map(s => s.op)).toEqual(['create-authorizer', 'add-lambda-permission'])
    expect(p.after).toEqual([{ op: 'delete-authorizer', authorizerId: 'auth1', name: TOKEN_FN }])
  })

  it("keeps an authorizer of ours that a person's method uses, saying so", () => {
    const p = planAuthorizer(
      input({ found: [LAMBDA_AUTH], resources: resources('auth1', { GET: { authorizerId: 'auth1' } }) })
    )
    expect(p.after).toEqual([])
    expect(p.notes).toEqual([
      'Authorizer auth1 (cortex-rest-gateway-lambda-token-baf43d66) is kept: GET /{proxy+} still use it'
    ])
  })

  it("keeps the statement of a function an authorizer of ours kept for a person's method names", () => {
    // ours on FN: the proxied methods' and a person's GET; the run moves the proxied methods elsewhere
    const person = resources('auth1', { GET: { authorizerId: 'auth1' } })
    const toFn2 = planAuthorizer(
      input({ want: lambdaWant({ functionArn: FN2 }), found: [LAMBDA_AUTH], resources: person })
    )
    const toNone = planAuthorizer(input({ found: [LAMBDA_AUTH], resources: person }))
    for (const p of [toFn2, toNone]) {
      expect(p.after).toEqual([])
      expect(p.notes).toEqual([
        'Authorizer auth1 (cortex-rest-gateway-lambda-token-baf43d66) is kept: GET /{proxy+} still use it'
      ])
    }
  })

  it('keeps the statement of a function another authorizer of ours that stays still names', () => {
    // TOKEN and REQUEST of ours on FN; the proxied methods move from REQUEST to NONE, TOKEN kept for GET
    const request: AuthorizerState = {
      ...LAMBDA_AUTH,
      id: 'req1',
      name: 'cortex-rest-gateway-lambda-request-baf43d66',
      type: 'REQUEST'
    }
    const p = planAuthorizer(
      input({
        found: [LAMBDA_AUTH, request],
        resources: resources('req1', { GET: { authorizerId: 'auth1' } })
      })
    )
    expect(p.after).toEqual([
      { op: 'delete-authorizer', authorizerId: 'req1', name: 'cortex-rest-gateway-lambda-request-baf43d66' }
    ])
  })

  it('names a Cognito authorizer after its pools, in any order, and a new pool set is a new authorizer', () => {
    const a = planAuthorizer(input({ want: { kind: 'cognito', userPoolArns: [POOL, POOL2], scopes: [] } }))
    const b = planAuthorizer(
      input({ want: { kind: 'cognito', userPoolArns: [POOL2, POOL], scopes: ['x/y'] } })
    )
    const c = planAuthorizer(input({ want: { kind: 'cognito', userPoolArns: [POOL], scopes: [] } }))
    const name = (p: typeof a) => (p.before[0] as { authorizer: { name: string } }).authorizer.name
    expect(name(a)).toMatch(/^cortex-rest-gateway-cognito-[0-9a-f]{8}$/)
    expect(name(b)).toBe(name(a))
    expect(name(c)).not.toBe(name(a))
    expect(b.use).toEqual({ authorizerId: NEW_AUTHORIZER, scopes: ['x/y'] })
    expect(a.before).toHaveLength(1)
  })

  it('on delete, removes the statements our Lambda authorizers need, and no other', () => {
    expect(planAuthorizerDelete('api1', [LAMBDA_AUTH, THEIRS])).toEqual([
      { op: 'remove-lambda-permission', functionArn: FN, apiId: 'api1' }
    ])
    expect(planAuthorizerDelete('api1', undefined)).toEqual([])
  })
})

describe('the methods', () => {
  it('use the authorizer with the scopes; the preflight stays open', () => {
    const [root] = desiredResources({
      dnsName: LB,
      authorization: 'COGNITO_USER_POOLS',
      cors: true,
      authorizer: { authorizerId: 'a1', scopes: ['s/1'] }
    })
    expect(
      root.methods.map(m => [m.httpMethod, m.authorizationType, m.authorizerId, m.authorizationScopes])
    ).toEqual([
      ['ANY', 'COGNITO_USER_POOLS', 'a1', ['s/1']],
      ['OPTIONS', 'NONE', undefined, undefined]
    ])
  })

  it('differ when the authorizer or the scopes do; a new authorizer is never the one used now', () => {
    const [root] = desiredResources({
      dnsName: LB,
      authorization: 'CUSTOM',
      cors: false,
      authorizer: { authorizerId: 'a1' }
    })
    const want = root.methods[0]
    const have = {
      authorizationType: 'CUSTOM',
      authorizerId: 'a1',
      responses: {},
      integration: { type: 'HTTP_PROXY', httpMethod: 'ANY', uri: want.integration.uri, responses: {} }
    }
    expect(methodMatches(have, want)).toBe(true)
    expect(methodMatches({ ...have, authorizerId: 'a2' }, want)).toBe(false)
    expect(methodMatches({ ...have, authorizationScopes: ['x'] }, want)).toBe(false)
    expect(methodMatches(have, { ...want, authorizerId: NEW_AUTHORIZER })).toBe(false)
  })
})

describe('execution-arn', () => {
  it('is the API in the account of the load balancer', () => {
    expect(accountOf('arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/x/1')).toBe(
      '123456789012'
    )
    expect(accountOf('arn:aws:elasticloadbalancing:us-west-2::loadbalancer/x')).toBeUndefined()
    expect(executionArn('us-west-2', '123456789012', 'abc')).toBe(
      'arn:aws:execute-api:us-west-2:123456789012:abc'
    )
    expect(executionArn('cn-north-1', '123456789012', 'abc')).toBe(
      'arn:aws-cn:execute-api:cn-north-1:123456789012:abc'
    )
    expect(executionArn('us-west-2', undefined, 'abc')).toBe('')
    expect(executionArn('us-west-2', '123456789012', undefined)).toBe('')
  })
})

describe('the Lambda permission', () => {
  const awsError = (name: string, status: number) =>
    Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } })
  const contextOf = (client: LambdaClient) =>
    ({
      region: 'us-west-2',
      lambda: () => Promise.resolve({ client, lambda: lambdaModule }),
      log: memoryLog(),
      deadline: Date.now() + 10_000,
      now: Date.now,
      sleep: async () => undefined,
      random: Math.random,
      calls: []
    }) as unknown as AwsContext

  it('replaces a statement of its id that is there (AWS refuses a second), so it names this API', async () => {
    const client = new LambdaClient({ region: 'us-west-2' })
    const mock = mockClient(client)
    mock.on(AddPermissionCommand).rejectsOnce(awsError('ResourceConflictException', 409)).resolves({})
    mock.on(RemovePermissionCommand).resolves({})
    await addPermission(contextOf(client), FN, 'cortex-rest-gateway-api1', 'arn:src')
    expect(mock.calls().map(c => c.args[0].constructor.name)).toEqual([
      'AddPermissionCommand',
      'RemovePermissionCommand',
      'AddPermissionCommand'
    ])
    expect(mock.commandCalls(AddPermissionCommand)[1].args[0].input).toEqual({
      FunctionName: FN,
      StatementId: 'cortex-rest-gateway-api1',
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: 'arn:src'
    })
  })

  it('takes a statement already gone as removed', async () => {
    const client = new LambdaClient({ region: 'us-west-2' })
    mockClient(client).on(RemovePermissionCommand).rejects(awsError('ResourceNotFoundException', 404))
    await expect(removePermission(contextOf(client), FN, 'cortex-rest-gateway-api1')).resolves.toBeUndefined()
  })
})
