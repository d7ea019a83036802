/**
 * Whose is it? Pure rules on tags: what the action writes on what it makes, and how it tells its
 * own (this repository's) from another repository's and from what a person made.
 */
import { MANAGED_BY_VALUE, Tags } from '../base/constants.js'

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
