/**
 * What a run's steps share as they are carried out: the AWS context, what the steps have made so far, and
 * the handler each kind of step has (its text and its action), which lives beside the feature that plans it.
 */
import { ROOT_PATH } from '../base/constants.js'
import { ChangedUnderUs } from '../base/errors.js'
import type { AwsContext } from '../aws/context.js'
import type { CreatePlan, ExistingApi } from '../core/plan.js'
import { targetOf, type AliasTarget } from '../features/domain/plan.js'
import {
  resolveAuthorizer,
  resolveLink,
  type CustomDomain,
  type DnsRecord,
  type VpcLinkVersion
} from '../model/model.js'

/** Something a run made (not found): what delete-on-exit may delete, and only that. */
export type Created = { kind: 'api'; id: string } | { kind: 'vpc-link'; id: string; version: VpcLinkVersion }

export interface CreateResult {
  apiId: string
  vpcLinkId?: string
  deploymentId?: string
  /** Set when this run made the API: racing runs check for twins afterwards. */
  createdApi: boolean
  /** Set when this run made the VPC link. */
  createdVpcLink?: { id: string; version: VpcLinkVersion }
  /** The target of the custom domain this run made. */
  domainTarget?: AliasTarget
  /** The API keys this run made (with their values). */
  apiKeys?: { name: string; id: string; value: string }[]
  /** The usage plan this run made. */
  usagePlanId?: string
  /** The authorizer the proxied methods use, once it exists. */
  authorizerId?: string
}

export interface ApplyHooks {
  /** Who is making things, for the descriptions AWS shows ("cortex-rest-gateway for owner/repo"). */
  madeBy: string
  /**
   * Looks for racing runs' twins once this run made the API; a base path mapping (a domain's path
   * is one API's) waits for it, and so does the end of the apply.
   */
  settle?: (made: { id: string; createdDate?: Date }) => Promise<unknown>
  /** Told of each thing made, the moment it exists. */
  onCreated?: (made: Created) => void
}

export interface DeleteResult {
  deletedApis: string[]
  deletedVpcLinks: string[]
  keptVpcLinks: string[]
  /** The custom domains deleted (one kept in use by another gateway is not). */
  deletedDomains?: string[]
  /** Stages deleted from APIs that stay (a delete with `stage`). */
  deletedStages: { apiId: string; stage: string }[]
}

/** One run's part in the domains it leaves or sweeps. */
export interface DomainsLeft {
  /** By domain name: the records removed with the domain, each change's zone with its records. */
  removed: Map<string, { zoneId: string; records: DnsRecord[] }[]>
  /** Domains whose sweep AWS refused part of: left whole for a later run. */
  held: Set<string>
  /** Domains this run deleted. */
  deleted?: string[]
}

/** What the steps build up as they go: the API, its resources' ids, the link made, the deployment. */
export class Built {
  apiId: string | undefined
  readonly resourceIds = new Map<string, string>()
  madeLink: { id: string; version: VpcLinkVersion } | undefined
  /** The canary's VPC link this run made. */
  madeCanaryLink: { id: string; version: VpcLinkVersion } | undefined
  createdApi = false
  deploymentId: string | undefined
  /** The custom domain this run made. */
  domain: CustomDomain | undefined
  /** The usage plan this run made. */
  usagePlanId: string | undefined
  /** The API keys this run made, by name. */
  readonly keys = new Map<string, { id: string; value: string }>()
  /** The look for racing twins, running beside the rest of the build. */
  settling: Promise<unknown> | undefined
  /** The authorizer this run made. */
  madeAuthorizer: string | undefined

  constructor(
    private readonly plan: CreatePlan,
    existing: ExistingApi | undefined
  ) {
    this.apiId = plan.apiId
    for (const r of existing?.resources ?? [])
      if (!this.resourceIds.has(r.path)) this.resourceIds.set(r.path, r.id)
    if (existing?.summary.rootResourceId) this.resourceIds.set(ROOT_PATH, existing.summary.rootResourceId)
  }

  api(): string {
    if (!this.apiId) throw new Error('internal error: API step before the API exists')
    return this.apiId
  }

  resource(path: string): string {
    const id = this.resourceIds.get(path)
    if (!id) throw new ChangedUnderUs(`Resource ${path} of API ${this.apiId} is gone`)
    return id
  }

  result(): CreateResult {
    const link = this.plan.vpcLinkId
    return {
      apiId: this.api(),
      vpcLinkId: link === undefined ? undefined : resolveLink(link, this.madeLink?.id),
      deploymentId: this.deploymentId,
      createdApi: this.createdApi,
      createdVpcLink: this.madeLink,
      domainTarget: targetOf(this.domain),
      apiKeys: [...this.keys].map(([name, k]) => ({ name, ...k })),
      usagePlanId: this.usagePlanId,
      authorizerId:
        this.plan.authorizerId === undefined
          ? undefined
          : resolveAuthorizer(this.plan.authorizerId, this.madeAuthorizer)
    }
  }
}

/** What every step's action is given. */
export interface Run {
  ctx: AwsContext
  /** The domains the run leaves or sweeps, as far as it got. */
  domainsLeft: DomainsLeft
}

/** A create's steps also see the plan, what was built so far, and the caller's hooks. */
export interface CreateRun extends Run {
  plan: CreatePlan
  built: Built
  hooks: ApplyHooks
}

/** A delete's steps add what they removed to the result. */
export interface DeleteRun extends Run {
  result: DeleteResult
}

/**
 * What one kind of step is: its text (one line, for the log, the plan output and the job summary; `made`
 * is the id of the VPC link the run made, once it exists) and what it does in a create and, for the steps
 * a delete plans, in a delete.
 */
export interface StepHandler<S> {
  text: (step: S, made?: string) => string
  create: (run: CreateRun, step: S) => Promise<void>
  delete?: (run: DeleteRun, step: S) => Promise<void>
}

/** A handler for every op of a union of steps: a new op without one does not compile. */
export type StepHandlers<S extends { op: string }> = { [K in S['op']]: StepHandler<Extract<S, { op: K }>> }
