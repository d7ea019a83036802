/** Seeding and independent reads for tests: clients of our own, pointed straight at moto. */
import { APIGatewayClient, CreateRestApiCommand } from '@aws-sdk/client-api-gateway'
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2'
import { DescribeSecurityGroupsCommand, DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2'
import {
  AddTagsCommand as AddClassicTagsCommand,
  CreateLoadBalancerCommand as CreateClassicCommand,
  ElasticLoadBalancingClient
} from '@aws-sdk/client-elastic-load-balancing'
import { Route53Client } from '@aws-sdk/client-route-53'
import {
  CreateLoadBalancerCommand,
  ElasticLoadBalancingV2Client
} from '@aws-sdk/client-elastic-load-balancing-v2'

export const REGION = 'us-west-2'
export const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' }

export function testClients(endpoint: string, region = REGION) {
  const common = { endpoint, region, credentials, maxAttempts: 1 }
  return {
    apigw: new APIGatewayClient(common),
    apigwv2: new ApiGatewayV2Client(common),
    elb: new ElasticLoadBalancingV2Client(common),
    ec2: new EC2Client(common),
    route53: new Route53Client(common)
  }
}

export interface SeededLoadBalancer {
  arn: string
  dnsName: string
  name: string
  subnetIds: string[]
  securityGroupIds: string[]
}

export async function createLoadBalancer(
  endpoint: string,
  opts: {
    name: string
    scheme: 'internet-facing' | 'internal'
    type?: 'network' | 'application'
    region?: string
    securityGroups?: boolean
  }
): Promise<SeededLoadBalancer> {
  const { ec2, elb } = testClients(endpoint, opts.region)
  const subnets = await ec2.send(
    new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] })
  )
  // ALBs always have security groups; NLBs only when asked
  const withGroups = opts.securityGroups ?? opts.type === 'application'
  const groups = withGroups
    ? ((await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? []).slice(0, 1)
    : []
  const out = await elb.send(
    new CreateLoadBalancerCommand({
      Name: opts.name,
      Type: opts.type ?? 'network',
      Scheme: opts.scheme,
      Subnets: (subnets.Subnets ?? []).slice(0, 2).map(s => s.SubnetId!),
      SecurityGroups: withGroups ? groups.map(g => g.GroupId!) : undefined
    })
  )
  const lb = out.LoadBalancers![0]
  return {
    arn: lb.LoadBalancerArn!,
    dnsName: lb.DNSName!,
    name: opts.name,
    subnetIds: (lb.AvailabilityZones ?? []).map(az => az.SubnetId!),
    securityGroupIds: lb.SecurityGroups ?? []
  }
}

/** A Classic ELB (Cortex's `api_load_balancer_type: elb`), made straight in moto, with these tags. */
export async function createClassicElb(
  endpoint: string,
  opts: { name: string; scheme: 'internet-facing' | 'internal'; tags?: Record<string, string> }
): Promise<void> {
  const elb = new ElasticLoadBalancingClient({ endpoint, region: REGION, credentials, maxAttempts: 1 })
  await elb.send(
    new CreateClassicCommand({
      LoadBalancerName: opts.name,
      Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: 31080 }],
      AvailabilityZones: [`${REGION}a`],
      Scheme: opts.scheme
    })
  )
  const tags = Object.entries(opts.tags ?? {}).map(([Key, Value]) => ({ Key, Value }))
  if (tags.length > 0)
    await elb.send(new AddClassicTagsCommand({ LoadBalancerNames: [opts.name], Tags: tags }))
}

/** A REST API someone else made: same name, no ownership tag. */
export async function createForeignApi(endpoint: string, name: string): Promise<string> {
  const { apigw } = testClients(endpoint)
  const out = await apigw.send(new CreateRestApiCommand({ name, tags: { team: 'someone-else' } }))
  return out.id!
}
