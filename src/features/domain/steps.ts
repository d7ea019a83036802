/** The custom domain's steps: the domain, its base path mappings, its DNS records; their text and action. */
import { Tags } from '../../base/constants.js'
import { AwsCallError, ChangedUnderUs, errorMessage, isAwsError } from '../../base/errors.js'
import type { AwsContext } from '../../aws/context.js'
import * as restApi from '../../aws/rest-api.js'
import type { DomainsLeft, Run, StepHandlers } from '../../engine/run.js'
import type { CustomDomain, DnsRecord } from '../../model/model.js'
import { changeText } from '../../report/words.js'
import { isOurs } from '../../model/ownership.js'
import * as dns from './aws-dns.js'
import * as domains from './aws-domains.js'
import { aliasRecord, basePathText, targetOf, type AliasTarget, type DomainStep } from './plan.js'

/** The domain's steps; tagging the API is the gateway's. */
type OwnDomainStep = Exclude<DomainStep, { op: 'tag-api' | 'untag-api' }>

/** The steps a create and a delete share: `made` is the target of the domain this create made. */
const shared =
  <S extends SharedDomainStep>() =>
  (run: Run & { built?: { domain?: CustomDomain } }, step: S): Promise<void> =>
    performDomainStep(run.ctx, step, targetOf(run.built?.domain), run.domainsLeft)

export const domainSteps: StepHandlers<OwnDomainStep> = {
  'create-domain': {
    text: step =>
      `create ${step.endpointType} custom domain ${step.name} with certificate ${step.certificateArn}`,
    create: async ({ ctx, plan, built }, step) => {
      const domain = await makeDomain(ctx, plan.owner, step)
      built.domain = domain
      ctx.log.info(`Created custom domain ${domain.name} (target ${domain.target ?? '?'})`)
    }
  },
  'tag-domain': {
    text: step => `tag custom domain ${step.name} with ${Object.keys(step.tags).join(', ')}`,
    create: ({ ctx }, step) => domains.tagDomainName(ctx, step.name, step.tags)
  },
  'set-domain-certificate': {
    text: step =>
      `change the certificate of custom domain ${step.name}: ` +
      changeText({ what: 'certificate', from: step.from ?? 'none', to: step.certificateArn }),
    create: shared()
  },
  'set-domain-security-policy': {
    text: step =>
      `change the TLS policy of custom domain ${step.name}${step.from ? ` from ${step.from}` : ''} to ` +
      step.securityPolicy,
    create: shared()
  },
  'map-base-path': {
    text: step => `map ${basePathText(step.basePath)} of ${step.name} to stage "${step.stage}"`,
    create: async ({ ctx, built }, step) => {
      // a racing twin that is kept maps its own: this API's only once it is the one kept (a run that
      // lost deletes its API, and maps nothing)
      const kept = await built.settling
      if (typeof kept === 'string' && kept !== built.api()) return
      return onChange(
        domains.createBasePathMapping(ctx, step.name, {
          basePath: step.basePath,
          restApiId: built.api(),
          stage: step.stage
        })
      )
    }
  },
  'set-base-path-stage': {
    text: step =>
      `point ${basePathText(step.basePath)} of ${step.name} at another stage: ` +
      changeText({ what: 'stage', from: `"${step.from ?? '?'}"`, to: `"${step.stage}"` }),
    create: shared()
  },
  'unmap-base-path': {
    text: step => `remove ${basePathText(step.basePath)} of ${step.name} (REST API ${step.restApiId})`,
    create: shared(),
    delete: shared()
  },
  'delete-domain': {
    text: step =>
      `delete custom domain ${step.name}${step.ifLast ? ' once nothing else is mapped onto it' : ''}`,
    create: shared(),
    delete: shared()
  },
  'upsert-dns-record': {
    text: step =>
      `point ${step.name} at the domain's target in hosted zone ${step.zoneId} (alias A record)` +
      (step.replace ? `: ${replacedText(step.replace, step.target)}` : ''),
    create: shared()
  },
  'delete-dns-record': {
    text: step =>
      `delete the ${step.records.some(r => r.type === 'A') ? 'alias record' : 'owner mark'} for ${step.name} ` +
      `in hosted zone ${step.zoneId}${step.ifLast ? ' once nothing else is mapped onto the domain' : ''}`,
    create: shared(),
    delete: shared()
  }
}

/** A record replaced, in a step's text: what it pointed at, and what it will. */
const replacedText = (r: DnsRecord, target: AliasTarget | undefined): string =>
  changeText({
    what: 'alias',
    from: r.alias?.dnsName ?? (r.values.join(' ') || r.type),
    to: target?.dnsName ?? "the domain's target"
  })

/** AWS refusing a change because what it changes is not as the plan saw it: read again, plan anew. */
async function onChange(work: Promise<void>): Promise<void> {
  try {
    await work
  } catch (error) {
    if (
      isAwsError(error, 'BadRequestException', 'InvalidChangeBatch') &&
      /exist/i.test(String(error.message))
    ) {
      throw new ChangedUnderUs(`${error.message} (changed since this run looked)`)
    }
    throw error
  }
}

/**
 * Read again before a shared domain (or its record) goes: another gateway may have been mapped
 * onto it since the run looked, or a run leaving it at the same time may have removed it already.
 */
async function stillMapped(ctx: AwsContext, name: string): Promise<boolean> {
  const mappings = await domains.getBasePathMappings(ctx, name)
  if (!mappings?.length) return false
  ctx.log.info(
    `Custom domain ${name} is kept: it serves REST API ${mappings.map(m => m.restApiId).join(', ')}`
  )
  return true
}

/**
 * For a domain of ours that served nothing when the run looked: read again whether a gateway of ours is
 * tagged as served on it now (a run tags its API before it makes or maps the domain), and keep it if so.
 */
async function claimed(ctx: AwsContext, name: string, owner: string): Promise<boolean> {
  const by = (await restApi.listRestApis(ctx)).filter(
    a => isOurs(a.tags, owner) && a.tags[Tags.DomainName] === name
  )
  if (by.length === 0) return false
  ctx.log.info(
    `Custom domain ${name} is kept: REST API ${by.map(a => a.id).join(', ')} is to be served on it`
  )
  return true
}

/** Makes a custom domain; an answer lost on the way back is matched to the domain of ours it made. */
async function makeDomain(
  ctx: AwsContext,
  owner: string,
  step: Extract<DomainStep, { op: 'create-domain' }>
): Promise<CustomDomain> {
  try {
    return await domains.createDomainName(ctx, step, async () => {
      const d = await domains.getDomainName(ctx, step.name)
      return d && isOurs(d.tags, owner) ? d : undefined
    })
  } catch (error) {
    // a racing run made it first: read again, and reuse it if it is ours
    if (isAwsError(error, 'BadRequestException', 'ConflictException') && /exist/i.test(error.message)) {
      throw new ChangedUnderUs(`Custom domain ${step.name} was made meanwhile`)
    }
    throw error
  }
}

/**
 * A domain that stays after all (a run mapped onto it, or claimed it, once its records were gone): the
 * records this run removed with it are put back as they were, so the gateway mapped meanwhile is not left
 * without them. One written meanwhile (by that run) wins: the change fails, and is let go.
 */
async function restoreRecords(ctx: AwsContext, name: string, left: DomainsLeft): Promise<void> {
  for (const { zoneId, records } of left.removed.get(name) ?? []) {
    try {
      await dns.changeRecords(
        ctx,
        zoneId,
        `${name}: its API Gateway custom domain stays`,
        records.map(record => ({ action: 'CREATE', record }))
      )
      ctx.log.info(`The records for ${name} in hosted zone ${zoneId} are put back: the domain stays`)
    } catch (error) {
      // the delete policy removes records only: the gateway's next create writes them again
      if (isAwsError(error, 'AccessDeniedException', 'AccessDenied')) {
        ctx.log.warning(
          `Custom domain ${name} stays (mapped meanwhile), but its records in hosted zone ${zoneId} are gone ` +
            `and could not be put back (${errorMessage(error)}): re-run the create of the gateway served on it`
        )
        continue
      }
      if (!(isAwsError(error, 'InvalidChangeBatch') && /exist/i.test(error.message))) throw error
      ctx.log.info(`The records for ${name} in hosted zone ${zoneId} were written again meanwhile`)
    }
  }
  left.removed.delete(name)
}

type SharedDomainStep = Exclude<
  DomainStep,
  { op: 'create-domain' | 'map-base-path' | 'tag-api' | 'untag-api' | 'tag-domain' }
>

/**
 * The domain steps a create and a delete share; `made` is the target of the domain this run made. A
 * sweep of a domain serving nothing that AWS refuses is left for a later run: it never fails this one.
 */
async function performDomainStep(
  ctx: AwsContext,
  step: SharedDomainStep,
  made: AliasTarget | undefined,
  left: DomainsLeft
): Promise<void> {
  if ((step.op !== 'delete-domain' && step.op !== 'delete-dns-record') || step.sweep === undefined) {
    return performSharedDomainStep(ctx, step, made, left)
  }
  const domain = step.op === 'delete-domain' ? step.name : (step.withDomain ?? step.name)
  // a domain whose record could not go stays too: without the domain, nothing would find the record
  if (step.op === 'delete-domain' && left.held.has(domain)) return
  try {
    await performSharedDomainStep(ctx, step, made, left)
  } catch (error) {
    if (!(error instanceof AwsCallError)) throw error
    left.held.add(domain)
    ctx.log.warning(
      `Could not remove custom domain ${domain}, ` +
        `which serves nothing, or its record (${errorMessage(error)}): it is left for a later run`
    )
  }
}

async function performSharedDomainStep(
  ctx: AwsContext,
  step: SharedDomainStep,
  made: AliasTarget | undefined,
  left: DomainsLeft
): Promise<void> {
  switch (step.op) {
    case 'set-domain-certificate':
      return domains.setDomainCertificate(ctx, step.name, step.endpointType, step.certificateArn)
    case 'set-domain-security-policy':
      return domains.setDomainSecurityPolicy(ctx, step.name, step.securityPolicy)
    case 'set-base-path-stage':
      return domains.setBasePathStage(ctx, step.name, step.basePath, step.stage)
    case 'unmap-base-path':
      return domains.deleteBasePathMapping(ctx, step.name, step.basePath)
    case 'delete-domain':
      if (
        (await stillMapped(ctx, step.name)) ||
        (step.sweep !== undefined && (await claimed(ctx, step.name, step.sweep)))
      ) {
        return restoreRecords(ctx, step.name, left)
      }
      await domains.deleteDomainName(ctx, step.name)
      left.deleted?.push(step.name)
      return
    case 'upsert-dns-record': {
      const target = step.target ?? made
      if (!target) throw new Error(`internal error: no target for the alias record of ${step.name}`)
      // never an UPSERT of the alias: a record made or changed meanwhile fails the change instead
      return onChange(
        dns.changeRecords(ctx, step.zoneId, `${step.name} to its API Gateway custom domain`, [
          ...(step.replace ? [{ action: 'DELETE' as const, record: step.replace }] : []),
          { action: 'CREATE', record: aliasRecord(step.name, target) },
          { action: 'UPSERT', record: step.marker }
        ])
      )
    }
    case 'delete-dns-record':
      // a domain another run mapped meanwhile keeps its record (and the domain, see above)
      if (step.withDomain && (await stillMapped(ctx, step.withDomain))) return
      if (step.withDomain && step.sweep && (await claimed(ctx, step.withDomain, step.sweep))) return
      try {
        await dns.changeRecords(
          ctx,
          step.zoneId,
          `${step.name}: its API Gateway custom domain goes`,
          step.records.map(record => ({ action: 'DELETE', record }))
        )
        if (step.withDomain) {
          const before = left.removed.get(step.withDomain) ?? []
          left.removed.set(step.withDomain, [...before, { zoneId: step.zoneId, records: step.records }])
        }
      } catch (error) {
        // a run leaving the same domain at the same time removed them first
        if (!(isAwsError(error, 'InvalidChangeBatch') && /not found/i.test(error.message))) throw error
        ctx.log.info(`The records for ${step.name} in hosted zone ${step.zoneId} are gone already`)
      }
      return
  }
}
