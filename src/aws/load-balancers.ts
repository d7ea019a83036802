import {
  DescribeLoadBalancersCommand,
  type LoadBalancer as SdkLoadBalancer
} from '@aws-sdk/client-elastic-load-balancing-v2'
import { Inputs } from '../constants.js'
import { InputError } from '../errors.js'
import type { LoadBalancerRef } from '../inputs.js'
import type { LoadBalancer } from '../model.js'
import { call, unlessNotFound } from './call.js'
import type { AwsContext } from './context.js'
import { findInPages } from './paging.js'

function toLoadBalancer(lb: SdkLoadBalancer): LoadBalancer {
  return {
    arn: lb.LoadBalancerArn ?? '',
    name: lb.LoadBalancerName ?? '',
    dnsName: (lb.DNSName ?? '').toLowerCase(),
    scheme: lb.Scheme === 'internal' ? 'internal' : 'internet-facing',
    type: lb.Type ?? 'unknown',
    vpcId: lb.VpcId,
    subnetIds: (lb.AvailabilityZones ?? []).flatMap(az => (az.SubnetId ? [az.SubnetId] : [])),
    securityGroupIds: lb.SecurityGroups ?? []
  }
}

/** Finds the load balancer by ARN, or by DNS name across all pages (ELBv2 has no DNS filter). */
export async function resolveLoadBalancer(ctx: AwsContext, ref: LoadBalancerRef): Promise<LoadBalancer> {
  if (ref.kind === 'arn') {
    const out = await unlessNotFound(
      call(ctx, 'DescribeLoadBalancers', () =>
        ctx.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [ref.arn] }))
      ),
      'LoadBalancerNotFoundException',
      'ValidationError'
    )
    const found = out?.LoadBalancers?.[0]
    if (found) return toLoadBalancer(found)
    throw new InputError(Inputs.LoadBalancer, `no load balancer with ARN ${ref.arn} in region ${ctx.region}`)
  }

  // (ELBv2 has no DNS filter: page until it is found)
  const { found, seen } = await findInPages(
    async marker => {
      const out = await call(ctx, 'DescribeLoadBalancers', () =>
        ctx.elb.send(new DescribeLoadBalancersCommand({ PageSize: 400, Marker: marker }))
      )
      return { items: out.LoadBalancers ?? [], next: out.NextMarker }
    },
    lb => (lb.DNSName ?? '').toLowerCase() === ref.dnsName
  )
  if (found) return toLoadBalancer(found)

  const elsewhere =
    ref.region && ref.region !== ctx.region
      ? `; its DNS name says region ${ref.region}: set the '${Inputs.Region}' input to it`
      : ''
  throw new InputError(
    Inputs.LoadBalancer,
    `no load balancer with DNS name ${ref.dnsName} in region ${ctx.region} ` +
      `(${seen} load balancers looked at)${elsewhere}`
  )
}
