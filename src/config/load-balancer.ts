/** The load balancer and the region, as the user named them: checked and normalised before any AWS call. */
import { Inputs } from '../base/constants.js'
import { InputError } from '../base/errors.js'
import { quoted, redactUrl, withoutQuery } from '../report/safe-text.js'

/** The load balancer as the user named it, normalised. */
export type LoadBalancerRef =
  | { kind: 'dns'; dnsName: string; raw: string; region?: string }
  | { kind: 'arn'; arn: string; raw: string; region: string }
  /** A Classic ELB by its name (given bare, or in its ARN, which also says the region). */
  | { kind: 'name'; name: string; raw: string; region?: string }
  /** The Cortex cluster's API load balancer, found by its tags. */
  | { kind: 'cluster'; clusterName: string; raw: string; region?: undefined }

const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/
const HOST_LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?'
export const HOST_RE = new RegExp(`^${HOST_LABEL}(?:\\.${HOST_LABEL})+$`)
const LB_ARN_RE = new RegExp(
  /^arn:aws[a-z-]*:elasticloadbalancing:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):/.source +
    /\d{12}:loadbalancer\/(?:net|app)\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+$/.source
)
// a Classic ELB's ARN names it: arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/NAME
const CLASSIC_ARN_RE =
  /^arn:aws[a-z-]*:elasticloadbalancing:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):\d{12}:loadbalancer\/([A-Za-z0-9-]{1,32})$/
/** A Classic ELB's name: up to 32 letters, digits and hyphens, neither first nor last a hyphen. */
export const CLASSIC_NAME_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/
// Real NLBs: {name}-{hash}.elb.{region}.amazonaws.com; ALBs: {name}-{id}.{region}.elb.amazonaws.com
const NLB_DNS_REGION_RE = /\.elb\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com(?:\.cn)?$/
const ALB_DNS_REGION_RE = /\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.elb\.amazonaws\.com(?:\.cn)?$/
/**
 * Accepts the forms people paste: `http://NAME/`, `NAME:80`, upper case, or an ARN.
 */
export function parseLoadBalancer(given: string): LoadBalancerRef {
  // a URL may carry credentials (http://user:password@host) or a token in its query: never kept, never echoed.
  // No load balancer's name holds '?' or '#': what follows one is left out even without a scheme or a path
  const raw = withoutQuery(redactUrl(given.trim()))
  const value = raw
  if (/^arn:/i.test(value)) {
    const classic = CLASSIC_ARN_RE.exec(value)
    if (classic) return { kind: 'name', name: classic[2], raw, region: classic[1] }
    const m = LB_ARN_RE.exec(value)
    if (!m) {
      throw new InputError(
        Inputs.LoadBalancer,
        `${quoted(value)} is not a load balancer ARN ` +
          '(arn:aws:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/net/NAME/ID, or .../loadbalancer/NAME ' +
          'for a Classic ELB)'
      )
    }
    return { kind: 'arn', arn: value, raw, region: m[1] }
  }
  // a bare name (no dot, no scheme, no port) is a Classic ELB's
  if (CLASSIC_NAME_RE.test(value)) return { kind: 'name', name: value, raw }
  let host = value.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^\*\*\*@/, '')
  host = host.split(/[/?#]/, 1)[0]
  host = host.replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase()
  if (!HOST_RE.test(host)) {
    throw new InputError(
      Inputs.LoadBalancer,
      `${quoted(value)} is neither a DNS name nor an ARN of a load balancer, nor a Classic ELB's name ` +
        '(expected e.g. abc-123.elb.us-west-2.amazonaws.com)'
    )
  }
  return { kind: 'dns', dnsName: host, raw, region: regionFromDnsName(host) }
}

export function regionFromDnsName(dnsName: string): string | undefined {
  return NLB_DNS_REGION_RE.exec(dnsName)?.[1] ?? ALB_DNS_REGION_RE.exec(dnsName)?.[1]
}

export function resolveRegion(
  input: string,
  env: NodeJS.ProcessEnv,
  lb: LoadBalancerRef | undefined
): { region: string; regionSource: string } {
  const candidates: [string | undefined, string][] = [
    [input, `input '${Inputs.Region}'`],
    [env.AWS_REGION?.trim(), 'AWS_REGION'],
    [env.AWS_DEFAULT_REGION?.trim(), 'AWS_DEFAULT_REGION'],
    [lb?.region, `the load balancer's ${regionFrom(lb)}`]
  ]
  for (const [value, source] of candidates) {
    if (!value) continue
    if (!REGION_RE.test(value)) {
      throw new InputError(
        Inputs.Region,
        `${quoted(value)} (from ${source}) is not an AWS region name such as us-west-2`
      )
    }
    // the gateway is made where its load balancer is found: a run elsewhere (a delete above all)
    // would act on, or report nothing of, a region the gateway is not in
    if (lb?.region && lb.region !== value) {
      throw new InputError(
        Inputs.Region,
        `the run is in ${value} (from ${source}), ` +
          `but the load balancer's ${regionFrom(lb)} says region ${lb.region}: ` +
          `its gateway is in ${lb.region}. Set the '${Inputs.Region}' input to ${lb.region}`
      )
    }
    return { region: value, regionSource: source }
  }
  throw new InputError(
    Inputs.Region,
    `no region given: set '${Inputs.Region}', or AWS_REGION (aws-actions/configure-aws-credentials does), ` +
      (lb?.kind === 'cluster'
        ? `the region of cluster "${lb.clusterName}"`
        : 'or pass a load balancer DNS name that contains one')
  )
}

/** Where a load balancer's region was read from: its ARN (a Classic ELB's too) or its DNS name. */
function regionFrom(lb: LoadBalancerRef | undefined): string {
  return lb?.kind === 'arn' || lb?.kind === 'name' ? 'ARN' : 'DNS name'
}
