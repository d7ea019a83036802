/** The custom domain's inputs: its rows of the inputs table, read and checked before any AWS call. */
import { Inputs } from '../../base/constants.js'
import { InputError } from '../../base/errors.js'
import { parseBoolean, type InputRow } from '../../config/input-row.js'
import { HOST_RE } from '../../config/load-balancer.js'
import { quoted } from '../../report/safe-text.js'

export interface DomainConfig {
  /** Lower case, without a final dot. */
  name: string
  certificateArn: string
  /** Where the gateway is mapped under the domain: '' for the domain's root. */
  basePath: string
  /** With it, an alias record for the domain to the domain's target is kept in this hosted zone. */
  hostedZoneId?: string
  /** The domain's TLS policy: `TLS_1_2` (the default), `TLS_1_0`, or an enhanced `SecurityPolicy_…`. */
  securityPolicy: string
}

const row = (name: string, arg: string, description: string, more: Partial<InputRow> = {}): InputRow => ({
  name,
  type: 'string',
  description,
  flag: { arg },
  modes: 'create',
  ...more
})

/** The TLS policy a custom domain gets unless `security-policy` says otherwise. */
export const DEFAULT_SECURITY_POLICY = 'TLS_1_2'
/** AWS's enhanced policies: named `SecurityPolicy_…`, those for EDGE domains ending `_EDGE`. */
const ENHANCED_POLICY_RE = /^SecurityPolicy_[A-Za-z0-9_]{1,120}$/
const LEGACY_POLICIES = ['TLS_1_0', 'TLS_1_2']

export const DOMAIN_INPUTS: InputRow[] = [
  row(Inputs.DomainName, 'NAME', 'serve the gateway on this custom domain (e.g. api.example.com)'),
  row(
    Inputs.CertificateArn,
    'ARN',
    "its ACM certificate (the API's region for REGIONAL, us-east-1 for EDGE)"
  ),
  row(Inputs.BasePath, 'PATH', 'where under the domain (default: its root)'),
  row(Inputs.HostedZoneId, 'ID', 'keep an alias record for the domain in this Route 53 hosted zone'),
  row(
    Inputs.SecurityPolicy,
    'POLICY',
    `the domain's TLS policy: ${DEFAULT_SECURITY_POLICY} (default), TLS_1_0, or a SecurityPolicy_… AWS names`,
    { default: DEFAULT_SECURITY_POLICY }
  )
]

const DOMAIN_MAX = 253
const CERTIFICATE_ARN_RE =
  /^arn:aws[a-z-]*:acm:([a-z]{2}(?:-[a-z]+)+-\d{1,2}):\d{12}:certificate\/[A-Za-z0-9-]{1,64}$/
// what API Gateway allows in a base path; '/' (multi-level paths) only through API Gateway v2's API mappings
const BASE_PATH_RE = /^[A-Za-z0-9$\-_.+!*'()]{1,255}$/
const HOSTED_ZONE_RE = /^[A-Z0-9]{1,32}$/
/** EDGE custom domains take their certificate from this region, whatever the API's. */
const EDGE_CERTIFICATE_REGION = 'us-east-1'

/** `domain-name` with its certificate, base path and hosted zone; undefined without a domain. */
export function parseDomain(
  text: (name: string) => string,
  endpointType: string,
  region: string
): DomainConfig | undefined {
  const name = text(Inputs.DomainName).toLowerCase().replace(/\.$/, '')
  if (name !== '' && endpointType === 'PRIVATE') {
    throw new InputError(
      Inputs.DomainName,
      "is not made for 'endpoint-type: PRIVATE' (a private API's custom domains are another kind of domain)"
    )
  }
  if (name === '') {
    refuseWithoutDomain(text)
    return undefined
  }
  if (name.startsWith('*.')) {
    throw new InputError(
      Inputs.DomainName,
      'wildcard custom domains are not made by this action: name one host'
    )
  }
  if (!HOST_RE.test(name) || name.length > DOMAIN_MAX) {
    throw new InputError(Inputs.DomainName, `${quoted(name)} is not a domain name such as api.example.com`)
  }
  const certificateArn = text(Inputs.CertificateArn)
  if (certificateArn === '') {
    throw new InputError(
      Inputs.CertificateArn,
      `is required with '${Inputs.DomainName}': the ARN of an ACM certificate for ${name}`
    )
  }
  const m = CERTIFICATE_ARN_RE.exec(certificateArn)
  if (!m) {
    throw new InputError(
      Inputs.CertificateArn,
      `${quoted(certificateArn)} is not an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)`
    )
  }
  const wanted = endpointType === 'EDGE' ? EDGE_CERTIFICATE_REGION : region
  if (m[1] !== wanted) {
    throw new InputError(
      Inputs.CertificateArn,
      `is in ${m[1]}, but ${
        endpointType === 'EDGE'
          ? `an EDGE custom domain takes its certificate from ${EDGE_CERTIFICATE_REGION}`
          : `a REGIONAL custom domain takes its certificate from the API's region, ${region}`
      }: use a certificate for ${name} in ${wanted}`
    )
  }
  const path = text(Inputs.BasePath).replace(/^\/+|\/+$/g, '')
  const basePath = path === '(none)' ? '' : path
  if (basePath !== '' && !BASE_PATH_RE.test(basePath)) {
    throw new InputError(
      Inputs.BasePath,
      basePath.includes('/')
        ? "must be one path segment (a REST API base path mapping cannot hold '/'): e.g. v1"
        : "may hold letters, digits and $ - _ . + ! * ' ( ) only"
    )
  }
  const zone = text(Inputs.HostedZoneId).replace(/^\/?hostedzone\//, '')
  if (zone !== '' && !HOSTED_ZONE_RE.test(zone)) {
    throw new InputError(
      Inputs.HostedZoneId,
      `${quoted(zone)} is not a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ`
    )
  }
  const securityPolicy = parseSecurityPolicy(text(Inputs.SecurityPolicy), endpointType)
  return { name, certificateArn, basePath, hostedZoneId: zone || undefined, securityPolicy }
}

/** What is only for a custom domain, given without `domain-name`: refused, naming the input. */
function refuseWithoutDomain(text: (name: string) => string): void {
  for (const needs of [Inputs.CertificateArn, Inputs.BasePath, Inputs.HostedZoneId]) {
    if (text(needs) !== '')
      throw new InputError(needs, `needs '${Inputs.DomainName}': the custom domain it is for`)
  }
  // the action's default arrives from action.yml: only another policy asks for a domain
  const policy = text(Inputs.SecurityPolicy)
  if (policy !== '' && policy.toUpperCase() !== DEFAULT_SECURITY_POLICY)
    throw new InputError(Inputs.SecurityPolicy, `needs '${Inputs.DomainName}': the custom domain it is for`)
  if (parseBoolean(Inputs.DisableExecuteApiEndpoint, text(Inputs.DisableExecuteApiEndpoint), false)) {
    throw new InputError(
      Inputs.DisableExecuteApiEndpoint,
      `needs '${Inputs.DomainName}': with the execute-api endpoint off, callers reach the gateway only ` +
        'through a custom domain'
    )
  }
}

/** `security-policy`: a legacy policy, or an enhanced one of the domain's endpoint type. */
export function parseSecurityPolicy(value: string, endpointType: string): string {
  const policy = value === '' ? DEFAULT_SECURITY_POLICY : value
  if (LEGACY_POLICIES.includes(policy.toUpperCase())) return policy.toUpperCase()
  if (!ENHANCED_POLICY_RE.test(policy)) {
    throw new InputError(
      Inputs.SecurityPolicy,
      `${quoted(policy)} is not a TLS policy: use TLS_1_2, TLS_1_0, or an enhanced policy AWS names ` +
        '(SecurityPolicy_…)'
    )
  }
  const edgePolicy = policy.endsWith('_EDGE')
  if (edgePolicy !== (endpointType === 'EDGE')) {
    throw new InputError(
      Inputs.SecurityPolicy,
      edgePolicy
        ? `${quoted(policy)} is for EDGE custom domains, and this one is ${endpointType}`
        : `${quoted(policy)} is not for EDGE custom domains: use an enhanced policy ending in _EDGE`
    )
  }
  return policy
}
