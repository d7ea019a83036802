import { APIGatewayClient } from '@aws-sdk/client-api-gateway'
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2'
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2'
import { ACTION_NAME } from '../constants.js'

/**
 * Clients are built once per run. The SDK's own retries are off (maxAttempts 1) because
 * `call` retries with a budget the user controls; endpoints come from the standard
 * AWS_ENDPOINT_URL variables, which the SDK reads itself.
 */
export function makeClients(region: string): {
  apigw: APIGatewayClient
  apigwv2: ApiGatewayV2Client
  elb: ElasticLoadBalancingV2Client
} {
  const common = {
    region,
    maxAttempts: 1,
    customUserAgent: [[ACTION_NAME]] as [string][],
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 }
  }
  return {
    apigw: new APIGatewayClient(common),
    apigwv2: new ApiGatewayV2Client(common),
    elb: new ElasticLoadBalancingV2Client(common)
  }
}
