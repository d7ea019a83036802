import { APIGatewayClient } from '@aws-sdk/client-api-gateway'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { ACTION_NAME } from '../base/constants.js'
import type { ApiGatewayV2, Route53, Wafv2 } from './context.js'

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined
  return () => (made ??= make())
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
  route53: () => Promise<Route53>
  wafv2: () => Promise<Wafv2>
} {
  const common = {
    region,
    maxAttempts: 1,
    customUserAgent: [[ACTION_NAME]] as [string][],
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 }
  }
  return {
    apigw: new APIGatewayClient(common),
    // loaded and built on first use: only v2 VPC links need it, and it costs start-up time
    apigwv2: once(async () => {
      const v2 = await import(/* webpackMode: "eager" */ '@aws-sdk/client-apigatewayv2')
      return { client: new v2.ApiGatewayV2Client(common), v2 }
    }),
    elb: new ElasticLoadBalancingV2Client(common),
    // Route 53 is global: its client finds the partition's one endpoint from any region
    route53: once(async () => {
      const r53 = await import(/* webpackMode: "eager" */ '@aws-sdk/client-route-53')
      return { client: new r53.Route53Client(common), r53 }
    }),
    wafv2: once(async () => {
      const waf = await import(/* webpackMode: "eager" */ '@aws-sdk/client-wafv2')
      return { client: new waf.WAFV2Client(common), waf }
    })
  }
}
