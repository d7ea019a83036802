#!/usr/bin/env node
// Seeds a moto server (AWS_ENDPOINT_URL) with an internet-facing NLB and prints its DNS name:
// for the workflow that runs the action with `uses: ./` against moto, as GitHub runs it.
import { DescribeSubnetsCommand, EC2Client } from '@aws-sdk/client-ec2'
import {
  CreateLoadBalancerCommand,
  ElasticLoadBalancingV2Client
} from '@aws-sdk/client-elastic-load-balancing-v2'

const region = process.env.AWS_REGION ?? 'us-west-2'
const subnets =
  (
    await new EC2Client({ region }).send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'default-for-az', Values: ['true'] }] })
    )
  ).Subnets ?? []
const out = await new ElasticLoadBalancingV2Client({ region }).send(
  new CreateLoadBalancerCommand({
    Name: process.argv[2] ?? 'cortex-api',
    Type: 'network',
    Scheme: 'internet-facing',
    Subnets: subnets.slice(0, 2).map(s => s.SubnetId)
  })
)
process.stdout.write(`${out.LoadBalancers?.[0]?.DNSName}\n`)
