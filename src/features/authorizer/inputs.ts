/**
 * The authorizer's inputs: a Cognito user pool authorizer (`authorization: COGNITO_USER_POOLS`) or a Lambda
 * one (`CUSTOM`), read and checked before any AWS call. What exists (the pools, the function) is read later,
 * and only when the authorizer is made or changed (features/authorizer/discover.ts).
 */
import { Inputs } from '../../base/constants.js'
import { InputError } from '../../base/errors.js'
import type { InputRow } from '../../config/input-row.js'
import type { Authorization } from '../../model/model.js'
import { quoted } from '../../report/safe-text.js'
import { input, items, words } from '../settings/inputs-checks.js'

export const DEFAULT_AUTHORIZER_TYPE = 'TOKEN'
export const DEFAULT_IDENTITY_SOURCE = 'method.request.header.Authorization'
export const DEFAULT_AUTHORIZER_TTL = 300
/** AWS caches an authorizer's answer for at most an hour. */
export const MAX_AUTHORIZER_TTL = 3600
const AUTHORIZER_TYPES = ['TOKEN', 'REQUEST'] as const

export type AuthorizerConfig =
  | {
      kind: 'cognito'
      /** The user pools' ARNs, in the order given. */
      userPoolArns: string[]
      /** OAuth scopes the proxied methods require (none: any valid token). */
      scopes: string[]
    }
  | {
      kind: 'lambda'
      functionArn: string
      type: (typeof AUTHORIZER_TYPES)[number]
      identitySource: string
      ttl: number
    }

export const AUTHORIZER_INPUTS: InputRow[] = [
  input(Inputs.CognitoUserPoolArns, 'ARNS', 'COGNITO_USER_POOLS: the user pools, comma or line separated'),
  input(Inputs.AuthorizationScopes, 'SCOPES', 'COGNITO_USER_POOLS: OAuth scopes the proxied methods ask for'),
  input(
    Inputs.AuthorizerLambdaArn,
    'ARN',
    "CUSTOM: the authorizer's Lambda function (the action lets API Gateway\ninvoke it for this API)"
  ),
  input(
    Inputs.AuthorizerType,
    'TOKEN|REQUEST',
    `CUSTOM: the authorizer's type (default ${DEFAULT_AUTHORIZER_TYPE})`,
    'string',
    {
      default: DEFAULT_AUTHORIZER_TYPE
    }
  ),
  input(
    Inputs.AuthorizerIdentitySource,
    'SOURCE',
    `CUSTOM: where the caller's identity is read (default\n${DEFAULT_IDENTITY_SOURCE})`,
    'string',
    { default: DEFAULT_IDENTITY_SOURCE }
  ),
  input(
    Inputs.AuthorizerTtl,
    'SECONDS',
    `CUSTOM: how long an answer is cached, 0 to ${MAX_AUTHORIZER_TTL} (default ${DEFAULT_AUTHORIZER_TTL})`,
    'number',
    { default: DEFAULT_AUTHORIZER_TTL }
  )
]

/** The partition of a region's ARNs. */
export const partitionOf = (region: string): string =>
  region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws'

const REGION = '([a-z]{2}(?:-[a-z]+)+-\\d{1,2})'
const USER_POOL_ARN_RE = new RegExp(
  `^arn:(aws[a-z-]*):cognito-idp:${REGION}:\\d{12}:userpool/${REGION}_[A-Za-z0-9]+$`
)
const QUALIFIER = '(?::(?:\\$LATEST|[A-Za-z0-9_-]{1,128}))?'
const FUNCTION_ARN_RE = new RegExp(
  `^arn:aws[a-z-]*:lambda:${REGION}:\\d{12}:function:[A-Za-z0-9_-]{1,64}${QUALIFIER}$`
)
/** A header's or a parameter's name (an HTTP token). */
const NAME = '[A-Za-z0-9._~!$&*+^|-]+'
/** The identity sources AWS takes (CreateAuthorizer): a header, a query string, a stage variable, the context. */
const SOURCE_RE = new RegExp(
  `^(?:method\\.request\\.(?:header|querystring)\\.${NAME}` +
    '|stageVariables\\.[A-Za-z0-9_]+|context\\.[A-Za-z0-9_.]+)$'
)
const HEADER_SOURCE_RE = new RegExp(`^method\\.request\\.header\\.${NAME}$`)
/** An OAuth scope: printable ASCII without spaces, quotes or backslashes (RFC 6749). */
const SCOPE_RE = /^[\x21\x23-\x5b\x5d-\x7e]{1,256}$/

const DEFAULTS: Record<string, string | number> = {
  [Inputs.AuthorizerType]: DEFAULT_AUTHORIZER_TYPE,
  [Inputs.AuthorizerIdentitySource]: DEFAULT_IDENTITY_SOURCE,
  [Inputs.AuthorizerTtl]: DEFAULT_AUTHORIZER_TTL
}

const COGNITO_INPUTS = [Inputs.CognitoUserPoolArns, Inputs.AuthorizationScopes]
const LAMBDA_INPUTS = [
  Inputs.AuthorizerLambdaArn,
  Inputs.AuthorizerType,
  Inputs.AuthorizerIdentitySource,
  Inputs.AuthorizerTtl
]

/** The authorizer `authorization` asks for; undefined for NONE and AWS_IAM (whose inputs are refused then). */
export function parseAuthorizer(
  text: (name: string) => string,
  authorization: Authorization,
  region: string
): AuthorizerConfig | undefined {
  // the action passes each input's default (action.yml) when it is not set: a default is no value given
  const given = (names: string[]): string | undefined =>
    names.find(n => text(n) !== '' && text(n).toUpperCase() !== String(DEFAULTS[n] ?? '').toUpperCase())
  const strayCognito = authorization === 'COGNITO_USER_POOLS' ? undefined : given(COGNITO_INPUTS)
  if (strayCognito !== undefined) {
    throw new InputError(
      strayCognito,
      `needs '${Inputs.Authorization}: COGNITO_USER_POOLS' (it is ${authorization}): ` +
        'the pools and scopes are what a Cognito authorizer checks'
    )
  }
  const strayLambda = authorization === 'CUSTOM' ? undefined : given(LAMBDA_INPUTS)
  if (strayLambda !== undefined) {
    throw new InputError(
      strayLambda,
      `needs '${Inputs.Authorization}: CUSTOM' (it is ${authorization}): it sets up a Lambda authorizer`
    )
  }
  if (authorization === 'COGNITO_USER_POOLS') return parseCognito(text, region)
  if (authorization === 'CUSTOM') return parseLambda(text, region)
  return undefined
}

function parseCognito(text: (name: string) => string, region: string): AuthorizerConfig {
  const pools = items(text(Inputs.CognitoUserPoolArns))
  if (pools.length === 0) {
    throw new InputError(
      Inputs.CognitoUserPoolArns,
      `is required with '${Inputs.Authorization}: COGNITO_USER_POOLS': the user pools whose tokens are let in ` +
        '(arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID)'
    )
  }
  for (const arn of pools) {
    const m = USER_POOL_ARN_RE.exec(arn)
    if (!m) {
      throw new InputError(
        Inputs.CognitoUserPoolArns,
        `${quoted(arn)} is not a Cognito user pool ARN (arn:aws:cognito-idp:REGION:ACCOUNT:userpool/POOL_ID)`
      )
    }
    const [, partition, arnRegion, idRegion] = m
    if (partition !== partitionOf(region)) {
      throw new InputError(
        Inputs.CognitoUserPoolArns,
        `${quoted(arn)} is in partition ${partition}, but the API's region ${region} is in ` +
          `${partitionOf(region)}: use arn:${partitionOf(region)}:cognito-idp:…`
      )
    }
    if (arnRegion !== region) {
      throw new InputError(
        Inputs.CognitoUserPoolArns,
        `${quoted(arn)} is in ${arnRegion}, but the API is in ${region}: use a user pool in ${region}`
      )
    }
    if (idRegion !== region) {
      throw new InputError(
        Inputs.CognitoUserPoolArns,
        `${quoted(arn)}: its pool id names ${idRegion}, but the ARN names ${region} (a pool's id begins ` +
          'with its own region): copy the ARN of the pool as Cognito shows it'
      )
    }
  }
  const scopes = words(text(Inputs.AuthorizationScopes))
  const bad = scopes.find(s => !SCOPE_RE.test(s))
  if (bad !== undefined) {
    throw new InputError(
      Inputs.AuthorizationScopes,
      `${quoted(bad)} is not an OAuth scope (e.g. orders/read)`
    )
  }
  return { kind: 'cognito', userPoolArns: pools, scopes }
}

function parseLambda(text: (name: string) => string, region: string): AuthorizerConfig {
  const functionArn = text(Inputs.AuthorizerLambdaArn)
  if (functionArn === '') {
    throw new InputError(
      Inputs.AuthorizerLambdaArn,
      `is required with '${Inputs.Authorization}: CUSTOM': the Lambda function that decides ` +
        '(arn:aws:lambda:REGION:ACCOUNT:function:NAME)'
    )
  }
  const m = FUNCTION_ARN_RE.exec(functionArn)
  if (!m) {
    throw new InputError(
      Inputs.AuthorizerLambdaArn,
      `${quoted(functionArn)} is not a Lambda function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME)`
    )
  }
  if (m[1] !== region) {
    throw new InputError(
      Inputs.AuthorizerLambdaArn,
      `is in ${m[1]}, but the API is in ${region}: use a function in ${region}`
    )
  }
  const typeText = (text(Inputs.AuthorizerType) || DEFAULT_AUTHORIZER_TYPE).toUpperCase()
  const type = AUTHORIZER_TYPES.find(t => t === typeText)
  if (type === undefined) {
    throw new InputError(Inputs.AuthorizerType, `${quoted(typeText)} is not one of 'TOKEN', 'REQUEST'`)
  }
  return {
    kind: 'lambda',
    functionArn,
    type,
    identitySource: parseIdentitySource(text(Inputs.AuthorizerIdentitySource), type),
    ttl: parseTtl(text(Inputs.AuthorizerTtl))
  }
}

/** TOKEN: one header. REQUEST: one or more sources, comma separated (AWS's own form). */
function parseIdentitySource(value: string, type: 'TOKEN' | 'REQUEST'): string {
  const sources = value === '' ? [DEFAULT_IDENTITY_SOURCE] : items(value)
  const bad = sources.find(s => !SOURCE_RE.test(s))
  if (bad !== undefined) {
    throw new InputError(
      Inputs.AuthorizerIdentitySource,
      `${quoted(bad)} is not an identity source such as method.request.header.Authorization ` +
        '(method.request.header.NAME, method.request.querystring.NAME, stageVariables.NAME or context.NAME)'
    )
  }
  if (type === 'TOKEN' && (sources.length > 1 || !HEADER_SOURCE_RE.test(sources[0]))) {
    throw new InputError(
      Inputs.AuthorizerIdentitySource,
      `a TOKEN authorizer reads one header (method.request.header.NAME): use '${Inputs.AuthorizerType}: ` +
        "REQUEST' for other sources"
    )
  }
  return sources.join(', ')
}

function parseTtl(value: string): number {
  if (value === '') return DEFAULT_AUTHORIZER_TTL
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN
  if (!(n >= 0 && n <= MAX_AUTHORIZER_TTL)) {
    throw new InputError(
      Inputs.AuthorizerTtl,
      `${quoted(value)} is not a whole number of seconds from 0 to ${MAX_AUTHORIZER_TTL}`
    )
  }
  return n
}
