import {
  DescribeLoadBalancersCommand,
  type LoadBalancer as SdkLoadBalancer
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { Inputs } from '../constants.js'
import { InputError, isAwsError } from '../errors.js'
import type { LoadBalancerRef, Scheme } from '../inputs.js'
import { call, type AwsContext } from './context.js'

export interface LoadBalancer {
  arn: string
  name: string
  dnsName: string
  scheme: Scheme
  /** 'network' | 'application' | 'gateway' as ELBv2 reports it; never inferred from the ARN. */
  type: string
  vpcId?: string
  /** Where it runs and what guards it: what a v2 VPC link is made from. */
  subnetIds: string[]
  securityGroupIds: string[]
}

function toLoadBalancer(lb: SdkLoadBalancer): LoadBalancer {
  return {
    arn: lb.LoadBalancerArn ?? '',
    name: lb.LoadBalancerName ?? '',
    dnsName: (lb.DNSName ?? '').toLowerCase(),
    scheme: lb.Scheme === 'internal' ? 'internal' : 'internet-facing',
    type: lb.Type ?? 'unknown',
    vpcId: lb.VpcId,
    subnetIds: (lb.AvailabilityZones ?? []).flatMap((az) => (az.SubnetId ? [az.SubnetId] : [])),
    securityGroupIds: lb.SecurityGroups ?? []
  }
}

/** Finds the load balancer by ARN, or by DNS name across all pages (ELBv2 has no DNS filter). */
export async function resolveLoadBalancer(ctx: AwsContext, ref: LoadBalancerRef): Promise<LoadBalancer> {
  if (ref.kind === 'arn') {
    try {
      const out = await call(ctx, 'DescribeLoadBalancers', () =>
        ctx.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [ref.arn] }))
      )
      const found = out.LoadBalancers?.[0]
      if (found) return toLoadBalancer(found)
    } catch (error) {
      if (!isAwsError(error, 'LoadBalancerNotFoundException', 'ValidationError')) throw error
    }
    throw new InputError(Inputs.LoadBalancer, `no load balancer with ARN ${ref.arn} in region ${ctx.region}`)
  }

  let marker: string | undefined
  let seen = 0
  do {
    const out = await call(ctx, 'DescribeLoadBalancers', () =>
      ctx.elb.send(new DescribeLoadBalancersCommand({ PageSize: 400, Marker: marker }))
    )
    for (const lb of out.LoadBalancers ?? []) {
      seen++
      if ((lb.DNSName ?? '').toLowerCase() === ref.dnsName) return toLoadBalancer(lb)
    }
    marker = out.NextMarker
  } while (marker)

  const elsewhere =
    ref.region && ref.region !== ctx.region
      ? `; its DNS name says region ${ref.region}: set the '${Inputs.Region}' input to it`
      : ''
  throw new InputError(
    Inputs.LoadBalancer,
    `no load balancer with DNS name ${ref.dnsName} in region ${ctx.region} (${seen} load balancers looked at)${elsewhere}`
  )
}
