import type { APIGatewayClient } from '@aws-sdk/client-api-gateway'
import type * as V2Module from '@aws-sdk/client-apigatewayv2'
import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2'
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import type * as ElbClassicModule from '@aws-sdk/client-elastic-load-balancing'
import type { ElasticLoadBalancingClient } from '@aws-sdk/client-elastic-load-balancing'
import type * as Route53Module from '@aws-sdk/client-route-53'
import type { Route53Client } from '@aws-sdk/client-route-53'
import type * as Wafv2Module from '@aws-sdk/client-wafv2'
import type { WAFV2Client } from '@aws-sdk/client-wafv2'
import type * as LambdaModule from '@aws-sdk/client-lambda'
import type { LambdaClient } from '@aws-sdk/client-lambda'
import type * as CognitoModule from '@aws-sdk/client-cognito-identity-provider'
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import type { Log } from '../report/log.js'
import type { RateLimiter } from './rate-limiter.js'

/** The v2 client and its module, loaded on first use: most runs never need them. */
export type ApiGatewayV2 = { client: ApiGatewayV2Client; v2: typeof V2Module }

/** The Route 53 client and its module, loaded on first use: only a `hosted-zone-id` needs them. */
export type Route53 = { client: Route53Client; r53: typeof Route53Module }

/** The Classic ELB client and its module, loaded on first use: only a Classic ELB needs them. */
export type ElbClassic = { client: ElasticLoadBalancingClient; elb: typeof ElbClassicModule }

/** The WAFv2 client and its module, loaded on first use: only the AWS WAF setting needs them. */
export type Wafv2 = { client: WAFV2Client; waf: typeof Wafv2Module }

/** The Lambda client and its module, loaded on first use: only a Lambda authorizer needs them. */
export type Lambda = { client: LambdaClient; lambda: typeof LambdaModule }

/** The Cognito user pools client and its module, loaded on first use: only a Cognito authorizer needs them. */
export type Cognito = { client: CognitoIdentityProviderClient; cognito: typeof CognitoModule }

import type { CallRecord } from '../report/run.js'
export type { CallRecord }

/** Everything the AWS layer needs: clients, the run's deadline, a swappable clock and sleep. */
export interface AwsContext {
  region: string
  apigw: APIGatewayClient
  /** For VPC links v2 only. */
  apigwv2: () => Promise<ApiGatewayV2>
  elb: ElasticLoadBalancingV2Client
  /** For a Classic ELB only. */
  elbClassic: () => Promise<ElbClassic>
  /** For a custom domain's alias record only. */
  route53: () => Promise<Route53>
  /** For a stage's web ACL only. */
  wafv2: () => Promise<Wafv2>
  /** For a Lambda authorizer only. */
  lambda: () => Promise<Lambda>
  /** For a Cognito authorizer only. */
  cognito: () => Promise<Cognito>
  log: Log
  /** Epoch ms after which no retry or wait starts (from the `timeout` input). */
  deadline: number
  now: () => number
  sleep: (ms: number) => Promise<void>
  random: () => number
  /** Every call made, in order: for tests, the job summary and the benchmark. */
  calls: CallRecord[]
  /** When set, a write call is refused: a last guard for plans that must not write. */
  readOnly?: boolean
  /** Keeps the run within API Gateway's account-wide request rate. */
  limiter?: RateLimiter
}

export const realSleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
