import { APIGatewayClient } from '@aws-sdk/client-api-gateway'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import type { AbsoluteLocation, DeserializeHandlerOptions, DeserializeMiddleware } from '@smithy/types'
import { ACTION_NAME } from '../base/constants.js'
import type { ApiGatewayV2, Cognito, ElbClassic, Lambda, Route53, Wafv2 } from './context.js'
import { NOT_AWS_ANSWER } from './retry.js'

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined
  return () => (made ??= make())
}

/** What an answer that begins so is, where no AWS API answers so; undefined for JSON, XML and nothing. */
function notAws(start: string): string | undefined {
  const text = start.trimStart()
  if (/^<(!doctype\s+html|html|head|body|title)\b/i.test(text)) return 'HTML'
  if (text && !/^[{[<]/.test(text)) return 'text that is neither JSON nor XML'
  return undefined
}

/**
 * An endpoint that is not AWS (a web server at AWS_ENDPOINT_URL, plain moto's HTML error page) is named
 * for what it is, in words, before the SDK reads its answer as JSON (and fails with "Unexpected token '<'")
 * or as XML (and takes an HTML page for an empty answer). The body is read, not its content type: moto
 * labels its JSON text/html.
 */
const notAwsAnswer: DeserializeMiddleware<object, object> = next => async args => {
  const out = await next(args)
  const response = out.response as { statusCode?: number; body?: unknown }
  const body = response.body
  if (!body || typeof body !== 'object' || !(Symbol.asyncIterator in body)) return out
  const chunks: Uint8Array[] = []
  for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(chunk)
  // the SDK reads a Uint8Array body as it would the stream (a copy: one of this realm, as under jest)
  const bytes = new Uint8Array(Buffer.concat(chunks))
  response.body = bytes
  const kind = notAws(new TextDecoder().decode(bytes.subarray(0, 512)))
  if (!kind) return out
  const { protocol = 'https:', hostname = '', port } = args.request as Record<string, string | undefined>
  const host = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname
  // scheme, host and port: never the credentials, path or query AWS_ENDPOINT_URL may hold
  const endpoint = `${protocol}//${host}${port ? `:${port}` : ''}`
  throw Object.assign(
    new Error(`the endpoint at ${endpoint} answered ${kind}, not AWS: check AWS_ENDPOINT_URL`),
    {
      name: NOT_AWS_ANSWER,
      $metadata: { httpStatusCode: response.statusCode }
    }
  )
}

/** A client whose answers go past `notAwsAnswer` before the SDK reads them. */
function guarded<
  C extends {
    middlewareStack: {
      add(m: DeserializeMiddleware<object, object>, o: DeserializeHandlerOptions & AbsoluteLocation): void
    }
  }
>(client: C): C {
  client.middlewareStack.add(notAwsAnswer, { step: 'deserialize', priority: 'low', name: 'notAwsAnswer' })
  return client
}

/**
 * Clients are built once per run. The SDK's own retries are off (maxAttempts 1) because
 * `call` retries with a budget the user controls; endpoints come from the standard
 * AWS_ENDPOINT_URL variables, which the SDK reads itself.
 */
export function makeClients(region: string): {
  apigw: APIGatewayClient
  apigwv2: () => Promise<ApiGatewayV2>
  elb: ElasticLoadBalancingV2Client
  elbClassic: () => Promise<ElbClassic>
  route53: () => Promise<Route53>
  wafv2: () => Promise<Wafv2>
  lambda: () => Promise<Lambda>
  cognito: () => Promise<Cognito>
} {
  const common = {
    region,
    maxAttempts: 1,
    customUserAgent: [[ACTION_NAME]] as [string][],
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 }
  }
  return {
    apigw: guarded(new APIGatewayClient(common)),
    // loaded and built on first use: only v2 VPC links need it, and it costs start-up time
    apigwv2: once(async () => {
      const v2 = await import(/* webpackMode: "eager" */ '@aws-sdk/client-apigatewayv2')
      return { client: guarded(new v2.ApiGatewayV2Client(common)), v2 }
    }),
    elb: guarded(new ElasticLoadBalancingV2Client(common)),
    // a Classic ELB only: loaded and built on first use
    elbClassic: once(async () => {
      const elb = await import(/* webpackMode: "eager" */ '@aws-sdk/client-elastic-load-balancing')
      return { client: guarded(new elb.ElasticLoadBalancingClient(common)), elb }
    }),
    // Route 53 is global: its client finds the partition's one endpoint from any region
    route53: once(async () => {
      const r53 = await import(/* webpackMode: "eager" */ '@aws-sdk/client-route-53')
      return { client: guarded(new r53.Route53Client(common)), r53 }
    }),
    wafv2: once(async () => {
      const waf = await import(/* webpackMode: "eager" */ '@aws-sdk/client-wafv2')
      return { client: guarded(new waf.WAFV2Client(common)), waf }
    }),
    // a Lambda authorizer only: its function's permission
    lambda: once(async () => {
      const lambda = await import(/* webpackMode: "eager" */ '@aws-sdk/client-lambda')
      return { client: guarded(new lambda.LambdaClient(common)), lambda }
    }),
    // a Cognito authorizer only: its pools are checked before it is made
    cognito: once(async () => {
      const cognito = await import(/* webpackMode: "eager" */ '@aws-sdk/client-cognito-identity-provider')
      return { client: guarded(new cognito.CognitoIdentityProviderClient(common)), cognito }
    })
  }
}
