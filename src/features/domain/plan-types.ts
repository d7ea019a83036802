/**
 * Pure: what the custom domain part of a plan is made of: its steps, its pieces, and what each piece is
 * planned from.
 */
import type { EndpointType } from '../../config/inputs.js'
import type { DnsRecord, DomainDiscovery } from '../../model/model.js'
import { tagValue } from '../../model/ownership.js'
import { joinParts, part as stepsPart, type Part as StepsPart } from '../../core/plan-part.js'

/** Where an alias record points: a domain's target and that target's hosted zone. */
export interface AliasTarget {
  dnsName: string
  zoneId: string
}

export type DomainStep =
  | {
      op: 'create-domain'
      name: string
      endpointType: EndpointType
      certificateArn: string
      tags: Record<string, string>
      /** Its TLS policy (AWS's default TLS_1_2 where absent). */
      securityPolicy?: string
    }
  | {
      op: 'set-domain-certificate'
      name: string
      endpointType: string
      certificateArn: string
      /** The certificate the domain has now. */
      from?: string
    }
  | { op: 'set-domain-security-policy'; name: string; from?: string; securityPolicy: string }
  /** Maps `basePath` of the domain to the plan's API. */
  | { op: 'map-base-path'; name: string; basePath: string; stage: string }
  /** `from`: the stage the mapping serves now. */
  | { op: 'set-base-path-stage'; name: string; basePath: string; stage: string; from?: string }
  | { op: 'unmap-base-path'; name: string; basePath: string; restApiId: string }
  /**
   * Only if nothing is mapped onto it then (read again); `ifLast`: something else was when the run looked;
   * `sweep` (the owner): a domain that served nothing, kept if a gateway of that owner is tagged as served on it.
   */
  | { op: 'delete-domain'; name: string; ifLast?: boolean; sweep?: string }
  /**
   * The alias record and its owner mark, in one change; `target` absent: the domain this run makes.
   * `replace`: the action's record as read, deleted in the same change (absent: there is none, and one
   * made meanwhile fails the change rather than be overwritten).
   */
  | {
      op: 'upsert-dns-record'
      zoneId: string
      name: string
      target?: AliasTarget
      marker: DnsRecord
      replace?: DnsRecord
    }
  /**
   * Exactly these records, as Route 53 holds them; with `withDomain`, only if nothing is mapped onto it then
   * (`ifLast`, `sweep`: as for delete-domain).
   */
  | {
      op: 'delete-dns-record'
      zoneId: string
      name: string
      records: DnsRecord[]
      withDomain?: string
      ifLast?: boolean
      sweep?: string
    }
  /** Tags of the API that say where it is served: set before a mapping, so a run that stops finds it. */
  | { op: 'tag-api'; tags: Record<string, string> }
  /** Tags of a domain of ours: the hosted zone its record is in, learnt from a gateway that writes it. */
  | { op: 'tag-domain'; name: string; tags: Record<string, string> }
  | { op: 'untag-api'; keys: string[] }

export interface DomainPart {
  steps: DomainStep[]
  /** Tags of a new API that say where it is served: given at its creation. */
  apiTags: Record<string, string>
  warnings: string[]
  notes: string[]
  /** The domain's target where it exists already; absent when the plan makes it (or there is no domain). */
  target?: AliasTarget
}

export interface Context {
  owner: string
  /** The API's region: a record marked for another region's domain of the name is not this run's. */
  region: string
  found: DomainDiscovery
  /** The APIs whose mappings go (a create's one API, absent when the plan makes it; a delete's APIs). */
  apiIds: string[]
  /** A create's twins of this gateway (its own, removed by the plan): their mappings make way. */
  twinIds?: string[]
  /** A delete's APIs: the base path each recorded as the action's (a mapping of them beyond it is named). */
  recorded?: Map<string, string | undefined>
}

export type Part = StepsPart<DomainStep>
export const part = (p: Partial<Part> = {}): Part => stepsPart<DomainStep>(p)
export const join = (parts: Part[]): Part => joinParts(parts)

/** How the action records a base path in a tag: `/` for the root (AWS's "(none)" is no tag value). */
export const basePathTag = (basePath: string): string =>
  basePath === '' ? '/' : (tagValue(basePath) ?? basePath)

export const basePathText = (p: string): string => (p === '' ? 'the root' : `base path '${p}'`)
export const capital = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)
