/**
 * Whose is it? Pure rules on tags, and on the TXT mark beside a DNS record (which has no tags): what
 * the action writes on what it makes, and how it tells its own (this repository's) from another
 * repository's and from what a person made. ours.ts lists, per kind of resource, which rule decides.
 */
import { DNS_OWNER_RECORD_PREFIX, MANAGED_BY_VALUE, Tags } from '../base/constants.js'
import type { DnsRecord, DnsView } from './model.js'

type TagMap = Record<string, string> | undefined

/** AWS tag values: at most 256 characters from this set. */
const TAG_VALUE_MAX = 256
// kept as they are; '=' is not among them: it starts an escape
const PLAIN_RE = /^[\p{L}\p{N} _.:/+\-@]$/u

/**
 * A name as a tag value, losslessly: characters a tag may hold stay, every other character (and
 * '=') is written as `=XX` per UTF-8 byte. Two names never share a value. Undefined when the value
 * would exceed AWS's 256 characters.
 */
export function tagValue(name: string): string | undefined {
  let out = ''
  for (const c of name) {
    out += PLAIN_RE.test(c)
      ? c
      : [...Buffer.from(c, 'utf8')].map(b => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('')
  }
  return [...out].length <= TAG_VALUE_MAX ? out : undefined
}

/** Workflow names are shown, not compared: mapped into the tag alphabet and cut to fit. */
export function displayTagValue(value: string): string {
  return [...value.replace(/[^\p{L}\p{Zs}\p{N}_.:/=+\-@]/gu, '-')].slice(0, TAG_VALUE_MAX).join('')
}

/** Who a resource is: the action's (and from which repository), or not the action's at all. */
export type Owner =
  { kind: 'ours' } | { kind: 'other-repository'; repository: string } | { kind: 'not-the-action' }

/** `owner` is this run's repository (owner/name), or 'local' for a command line run outside one. */
export function ownerOf(tags: TagMap, owner: string): Owner {
  if (tags?.[Tags.ManagedBy] !== MANAGED_BY_VALUE) return { kind: 'not-the-action' }
  const repository = tags[Tags.Repository] ?? ''
  return repository === tagValue(owner)
    ? { kind: 'ours' }
    : { kind: 'other-repository', repository: repository || 'an unknown repository' }
}

export function isOurs(tags: TagMap, owner: string): boolean {
  return ownerOf(tags, owner).kind === 'ours'
}

/** Made by this repository for the gateway named `apiName`: how a VPC link is traced to its gateway. */
export function madeFor(tags: TagMap, owner: string, apiName: string): boolean {
  return isOurs(tags, owner) && tags?.[Tags.ApiName] === tagValue(apiName)
}

/** A key (or plan) the action made for this gateway's stage. */
export const madeForStage = (tags: Record<string, string>, owner: string, apiName: string, stage: string) =>
  madeFor(tags, owner, apiName) && tags[Tags.Stage] === stage

/** How a person reading a message would name whose a resource is. */
export function describeOwner(o: Owner): string {
  switch (o.kind) {
    case 'ours':
      return 'made by this repository'
    case 'other-repository':
      return `made by this action from repository ${o.repository}`
    case 'not-the-action':
      return 'not made by this action'
  }
}

export interface Provenance {
  repository?: string
  workflow?: string
}

/** The tags that make a resource ours: the marker, this repository, the gateway's name, the workflow. */
export function ownershipTags(
  apiName: string,
  owner: string,
  provenance: Provenance
): Record<string, string> {
  const tags: Record<string, string> = {
    [Tags.ManagedBy]: MANAGED_BY_VALUE,
    [Tags.Repository]: tagValue(owner) ?? owner,
    [Tags.ApiName]: tagValue(apiName) ?? ''
  }
  if (provenance.workflow) tags[Tags.Workflow] = displayTagValue(provenance.workflow)
  return tags
}

/** An owner: a GitHub repository `owner/name`, or `local` outside one. */
export const OWNER_RE = /^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+|local)$/
export const LOCAL_OWNER = 'local'

/** The name of the TXT record that marks an alias record at `name` as the action's. */
export const markerName = (name: string): string => `${DNS_OWNER_RECORD_PREFIX}.${name}`

/**
 * The mark's value (a quoted TXT string): the action, the repository whose runs wrote the record, and
 * the region of the domain it points at (one name may have a domain in each of several regions).
 */
function markerValue(owner: string, region: string): string {
  return `"heritage=${MANAGED_BY_VALUE},repository=${tagValue(owner) ?? owner},region=${region}"`
}

export function markerRecord(owner: string, region: string, name: string): DnsRecord {
  return { name: markerName(name), type: 'TXT', ttl: 300, values: [markerValue(owner, region)] }
}

/** The mark beside the records at a name is this repository's, for the domain in `region`. */
export const markedOurs = (dns: DnsView, owner: string, region: string): boolean =>
  Boolean(dns.marker && dns.marker.values.length === 1 && dns.marker.values[0] === markerValue(owner, region))
