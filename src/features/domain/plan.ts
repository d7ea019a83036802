/**
 * Pure: the custom domain part of a plan. A gateway is served on a domain by a base path mapping;
 * the domain name, and the alias record for it in Route 53, are shared by every gateway mapped
 * onto the domain. What the action may touch: the mapping it made to its own API (its base path is
 * recorded in a tag of the API); a domain this repository made (removed once nothing is mapped onto it,
 * by the last gateway to leave it or by any later run of the repository); a record the action marked as
 * its own, while it is what the action wrote.
 */
import { Inputs, Tags } from '../../base/constants.js'
import { ActionError, InputError } from '../../base/errors.js'
import type { DomainConfig, EndpointType } from '../../config/inputs.js'
import { DEFAULT_SECURITY_POLICY } from './inputs.js'
import type { BasePathMapping, CustomDomain, DomainView } from '../../model/model.js'
import { describeOwner, isOurs, ownerOf, tagValue } from '../../model/ownership.js'
import { madeMappings, leaveDomain } from './plan-leave.js'
import { ownRecords, planRecord, targetOf } from './plan-records.js'
import {
  basePathTag,
  basePathText,
  capital,
  join,
  part,
  type Context,
  type DomainPart,
  type DomainStep,
  type Part
} from './plan-types.js'

export { aliasRecord, markerName, markerRecord, targetOf } from './plan-records.js'
export { leaveDomain } from './plan-leave.js'
export { sweepDomains } from './plan-sweep.js'
export {
  basePathTag,
  basePathText,
  type AliasTarget,
  type DomainPart,
  type DomainStep
} from './plan-types.js'

/** A create's plan of the domain: the wanted one, how the API is served, and the API's tags as found. */
type CreateContext = Context & {
  want?: DomainConfig
  endpointType: EndpointType
  stage: string
  /** The API's tags as found ({} for a new API). */
  apiTags: Record<string, string>
  /** For a domain the plan makes: the user's tags and the action's. */
  tags: Record<string, string>
}

/**
 * The domain (or hosted zone) the API was served on before, and no longer is: its mapping the action made
 * goes (the API stays), or the alias record in the old zone; the tags that said so go.
 */
function leaveOld(ctx: CreateContext): Part {
  const want = ctx.want
  const had = ctx.apiTags[Tags.DomainName]
  const hadZone = ctx.apiTags[Tags.HostedZoneId]
  const hadPath = ctx.apiTags[Tags.BasePath]
  const apiId = ctx.apiIds[0]
  const leaving: Part[] = []
  if (had && had !== want?.name) {
    // the API stays: only the mapping the action made goes
    const its = (ctx.found.domains.get(had)?.mappings ?? []).filter(m => m.restApiId === apiId)
    const made = madeMappings(its, hadPath)
    leaving.push(leaveDomain(ctx, had, hadZone, m => made.includes(m)))
  } else if (had && hadZone && hadZone !== want?.hostedZoneId) {
    // the record serves every gateway on the domain: it goes with the zone only when no other is mapped
    const view = ctx.found.domains.get(had)
    const shared = (view?.mappings ?? []).some(m => !ctx.apiIds.includes(m.restApiId))
    leaving.push(
      shared
        ? part({
            notes: [
              `The alias record for ${had} in hosted zone ${hadZone} stays: other gateways use the domain`
            ]
          })
        : ownRecords(ctx, hadZone, had, targetOf(view?.domain))
    )
  }
  const untag = [
    ...(had && !want ? [Tags.DomainName] : []),
    ...(hadPath !== undefined && !want ? [Tags.BasePath] : []),
    ...(hadZone && !want?.hostedZoneId ? [Tags.HostedZoneId] : [])
  ]
  return join([...leaving, part({ steps: untag.length > 0 ? [{ op: 'untag-api', keys: untag }] : [] })])
}

/** The wanted domain: made where there is none; one there must be this repository's, of the endpoint type. */
function keepDomain(ctx: CreateContext, want: DomainConfig, domain: CustomDomain | undefined): DomainStep[] {
  const steps: DomainStep[] = []
  if (!domain) {
    steps.push({
      op: 'create-domain',
      name: want.name,
      endpointType: ctx.endpointType,
      certificateArn: want.certificateArn,
      securityPolicy: want.securityPolicy,
      // the zone too: a run that finds the domain serving nothing removes the record with it
      tags: { ...ctx.tags, ...(want.hostedZoneId ? { [Tags.HostedZoneId]: want.hostedZoneId } : {}) }
    })
  } else {
    if (!isOurs(domain.tags, ctx.owner)) {
      throw new ActionError(
        `Custom domain ${want.name} already exists, ${describeOwner(ownerOf(domain.tags, ctx.owner))}: ` +
          'the action maps gateways only onto domains this repository made, and never changes another. ' +
          `Choose another '${Inputs.DomainName}', or map the gateway onto it yourself`
      )
    }
    if (domain.endpointType !== ctx.endpointType) {
      throw new ActionError(
        `Custom domain ${want.name} is ${domain.endpointType}, but '${Inputs.EndpointType}' is ` +
          `${ctx.endpointType}: a domain's endpoint type is not changed in place. Run once without ` +
          `'${Inputs.DomainName}' (the action removes the domain, when nothing else is mapped onto it), ` +
          'then again with it'
      )
    }
    if (domain.certificateArn !== want.certificateArn) {
      steps.push({
        op: 'set-domain-certificate',
        name: want.name,
        endpointType: domain.endpointType,
        certificateArn: want.certificateArn,
        ...(domain.certificateArn ? { from: domain.certificateArn } : {})
      })
    }
    // a domain made before the input read TLS_1_2, the action's policy then and its default now
    if ((domain.securityPolicy ?? DEFAULT_SECURITY_POLICY) !== want.securityPolicy) {
      steps.push({
        op: 'set-domain-security-policy',
        name: want.name,
        from: domain.securityPolicy,
        securityPolicy: want.securityPolicy
      })
    }
    // made by a gateway without a zone: the record this one keeps must be found when the last one leaves
    if (want.hostedZoneId && !domain.tags[Tags.HostedZoneId]) {
      steps.push({ op: 'tag-domain', name: want.name, tags: { [Tags.HostedZoneId]: want.hostedZoneId } })
    }
  }
  return steps
}

/**
 * The mapping of the API's stage at the wanted base path, and the ones the action made for this gateway
 * elsewhere on the domain (and its twins', which the plan removes) making way.
 */
function mapStage(
  ctx: CreateContext,
  want: DomainConfig,
  view: DomainView | undefined
): { steps: DomainStep[]; warnings: string[] } {
  const had = ctx.apiTags[Tags.DomainName]
  const hadPath = ctx.apiTags[Tags.BasePath]
  const apiId = ctx.apiIds[0]
  const steps: DomainStep[] = []
  const mappings = view?.mappings ?? []
  // the mapping the action made for this gateway (and its twins', which this plan removes) make way; a
  // mapping a person added, to this gateway or another, is not the action's
  const its = apiId ? mappings.filter(m => m.restApiId === apiId) : []
  const made =
    had === want.name
      ? madeMappings(its, hadPath, want.basePath)
      : its.filter(m => m.basePath === want.basePath)
  const twins = mappings.filter(m => (ctx.twinIds ?? []).includes(m.restApiId))
  const ours = (m: BasePathMapping): boolean => made.includes(m) || twins.includes(m)
  const stale = mappings.filter(m => ours(m) && !(m.restApiId === apiId && m.basePath === want.basePath))
  const others = mappings.filter(m => !ours(m))
  const unrecorded =
    had === want.name && hadPath === undefined
      ? its.filter(m => !made.includes(m) && m.basePath !== want.basePath)
      : []
  const at = mappings.find(m => m.basePath === want.basePath)
  if (at && at.restApiId !== apiId && !twins.includes(at)) {
    throw new ActionError(
      `${capital(basePathText(want.basePath))} of custom domain ${want.name} already serves REST API ` +
        `${at.restApiId}${at.stage ? ` (stage ${at.stage})` : ''}: choose another '${Inputs.BasePath}'`
    )
  }
  // AWS maps a domain's root only when nothing else is mapped onto it
  const rootOf = others.find(m => m.basePath === '')
  if (others.length > 0 && (want.basePath === '' || rootOf)) {
    throw new ActionError(
      `Custom domain ${want.name} ${
        rootOf
          ? `serves REST API ${rootOf.restApiId} at its root`
          : `also serves REST API ${others.map(m => m.restApiId).join(', ')}`
      }, and AWS maps a domain's root only when nothing else is mapped onto it: ` +
        `choose another '${Inputs.BasePath}'`
    )
  }
  const unmap = stale.map((m): DomainStep => ({
    op: 'unmap-base-path',
    name: want.name,
    basePath: m.basePath,
    restApiId: m.restApiId
  }))
  const mine = at && at.restApiId === apiId ? at : undefined
  // the old mappings go after the new one serves, unless a root is involved: then before (AWS allows no
  // root beside another mapping)
  const rootInvolved =
    want.basePath === '' || stale.some(m => m.basePath === '' || m.basePath === want.basePath)
  if (rootInvolved) steps.push(...unmap)
  if (!mine) {
    steps.push({ op: 'map-base-path', name: want.name, basePath: want.basePath, stage: ctx.stage })
  } else if (mine.stage !== ctx.stage) {
    steps.push({
      op: 'set-base-path-stage',
      name: want.name,
      basePath: want.basePath,
      stage: ctx.stage,
      ...(mine.stage ? { from: mine.stage } : {})
    })
  }
  if (!rootInvolved) steps.push(...unmap)
  const warnings = unrecorded.map(
    m =>
      `${capital(basePathText(m.basePath))} of custom domain ${want.name} also maps this gateway, but the ` +
      'action kept no record of making it (the gateway predates that record): it is left as it is'
  )
  return { steps, warnings }
}

/**
 * The domain part of a create: leave the domain (or hosted zone) the API was served on before,
 * then make or reuse the wanted one, map the API's stage, and keep the alias record.
 */
export function planDomain(ctx: CreateContext): DomainPart {
  const want = ctx.want
  const apiId = ctx.apiIds[0]
  const left = leaveOld(ctx)
  if (!want) return { ...left, apiTags: {} }

  if (tagValue(want.basePath) === undefined) {
    throw new InputError(
      Inputs.BasePath,
      'is too long to be recorded in a tag (256 characters, escapes included)'
    )
  }
  const apiTags: Record<string, string> = {
    [Tags.DomainName]: want.name,
    ...(want.hostedZoneId ? { [Tags.HostedZoneId]: want.hostedZoneId } : {}),
    [Tags.BasePath]: basePathTag(want.basePath)
  }
  // where the API is served is tagged before the mapping (a run that stops finds it); which mapping is
  // the action's, once it is the only one of the action's (a run that stops between finds the old one)
  const retag = Object.fromEntries(Object.entries(apiTags).filter(([k, v]) => ctx.apiTags[k] !== v))
  const { [Tags.BasePath]: retagPath, ...retagFirst } = retag
  const view = ctx.found.domains.get(want.name)
  const domain = view?.domain
  const steps: DomainStep[] =
    apiId && Object.keys(retagFirst).length > 0 ? [{ op: 'tag-api', tags: retagFirst }] : []
  steps.push(...keepDomain(ctx, want, domain))
  const mapped = mapStage(ctx, want, view)
  steps.push(...mapped.steps)
  if (apiId && retagPath !== undefined) steps.push({ op: 'tag-api', tags: { [Tags.BasePath]: retagPath } })
  const target = targetOf(domain)
  const dns = want.hostedZoneId ? planRecord(ctx, want, want.hostedZoneId, target) : part()
  const all = join([left, part({ steps, warnings: mapped.warnings }), dns])
  return { ...all, apiTags, target }
}
