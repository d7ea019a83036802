/**
 * Pure: (config, what exists) → the ordered steps that get there. No I/O here, so an empty
 * plan means no writes, and the plan can be logged, summarised and tested as data. This file holds
 * what a plan is (its steps, what it is planned from); the planner's parts are beside it: choosing our
 * API (choose-api), the route and the VPC link (links), the create plan (plan-create), the resource and
 * method diff (diff), the delete plan (plan-delete).
 */
import type { DesiredMethod, DesiredResource } from './desired.js'
import type { Scheme } from '../config/inputs.js'
import type { Change } from '../report/words.js'
import { type AliasTarget, type DomainStep } from '../features/domain/plan.js'
import { type SettingsStep } from '../features/settings/plan.js'
import type { CanaryStep, Variables } from '../features/canary/plan.js'
import { type ApiKey, type KeysDiscovery, type KeyStep } from '../features/keys/plan.js'
import { type StageDeleteStep } from '../features/stage/plan.js'
import { type CorsStep } from '../features/cors/plan.js'
import { type AuthorizerStep } from '../features/authorizer/plan.js'
import {
  NEW_VPC_LINK,
  type AuthorizerRef,
  type AuthorizerState,
  type DomainDiscovery,
  type GatewayResponseState,
  type LinkRef,
  type LoadBalancer,
  type ResourceState,
  type RestApiSummary,
  type StageState,
  type VpcLink,
  type VpcLinkSpec,
  type VpcLinkVersion
} from '../model/model.js'

export * from './choose-api.js'
export * from './links.js'
export * from './plan-create.js'
export * from './diff.js'
export * from './plan-delete.js'

export { NEW_VPC_LINK }

/** The gateway's own steps; each feature's are beside it, and a step's handler is in the engine. */
export type GatewayStep =
  | { op: 'create-vpc-link'; link: VpcLinkSpec }
  | { op: 'wait-vpc-link'; vpcLinkId: LinkRef; version: VpcLinkVersion }
  | {
      op: 'create-api'
      name: string
      endpointType: string
      tags: Record<string, string>
      /** Binary media types, the policy, a PRIVATE API's VPC endpoints: set at creation. */
      settings?: {
        binaryMediaTypes: string[]
        policy?: string
        vpcEndpointIds: string[]
        disableExecuteApiEndpoint?: boolean
      }
    }
  | { op: 'set-endpoint-type'; from: string; to: string }
  | { op: 'tag-api'; tags: Record<string, string> }
  | { op: 'untag-api'; keys: string[] }
  | { op: 'adopt-api'; apiId: string; previously: string; tags: Record<string, string> }
  | { op: 'create-resource'; path: string; parentPath: string; pathPart: string }
  | { op: 'delete-method'; path: string; httpMethod: string }
  /** `changes`: what replacing a method changes, where a person would read it (absent for a new method). */
  | { op: 'put-method'; path: string; method: DesiredMethod; changes?: Change[] }
  | {
      op: 'deploy'
      stage: string
      newStage: boolean
      tags: Record<string, string>
      /** A new stage's variables. */
      variables?: Variables
      /** The stage's canary serves the new deployment too. */
      canaryFollows?: boolean
    }
  | { op: 'tag-stage'; stage: string; tags: Record<string, string> }
  | { op: 'delete-api'; apiId: string }
  | {
      op: 'delete-vpc-link'
      vpcLinkId: string
      version: VpcLinkVersion
      /**
       * Gateways that went through it when the run looked: read again once the APIs are gone, and the link
       * kept if one still does.
       */
      unlessUsedBy?: string[]
    }

export type Step =
  GatewayStep | DomainStep | SettingsStep | KeyStep | StageDeleteStep | CanaryStep | CorsStep | AuthorizerStep

export interface ExistingApi {
  summary: RestApiSummary
  resources: ResourceState[]
  stage?: StageState
  /** Description of the deployment the stage points at. */
  deploymentDescription?: string
}

export interface CreateDiscovery {
  loadBalancer: LoadBalancer
  /** Every REST API in the region with the configured name, owned or not. */
  sameName: RestApiSummary[]
  /** AWS's clock when `sameName` was listed (the listing's Date): a choice between fresh twins may yet change. */
  listedAt?: Date
  /** The owned API chosen, read in full; absent when none is owned. */
  api?: ExistingApi
  /** VPC links in the region; only read for an internal load balancer. */
  vpcLinks?: VpcLink[]
  /**
   * For links this run might remove: the other REST APIs (of this repository) whose integrations
   * go through each. A link with users is never removed.
   */
  linkUsers?: Map<string, string[]>
  /** Every REST API of this repository in the region: which gateways still exist. */
  ours?: RestApiSummary[]
  /** The custom domains (the wanted one, the one the API was served on) and their DNS records. */
  domain?: DomainDiscovery
  /** The account's CloudWatch Logs role ('' for none); read only when logs are asked for. */
  cloudWatchRole?: string
  /** Usage plans and keys; read only when `api-keys` is given or the stage's settings tag names api-keys. */
  keys?: KeysDiscovery
  /** The canary's load balancer, with the canary inputs. */
  canary?: { loadBalancer: LoadBalancer }
  /** The API's gateway responses that are set (AWS's defaults may be left out); absent for a new API. */
  gatewayResponses?: GatewayResponseState[]
  /** The API's authorizers (a person's too); absent for a new API. */
  authorizers?: AuthorizerState[]
  /**
   * The API's other stages, each with the labels of the deployments it serves (its canary's too), read
   * only when the run plans to remove an authorizer or a Lambda statement: one they serve is kept.
   */
  otherStages?: { stage: string; labels: (string | undefined)[] }[]
}

export interface CreatePlan {
  /** Whose and which gateway: how apply recognises what a lost answer made. */
  owner: string
  apiName: string
  scheme: Scheme
  steps: Step[]
  /** The API the steps act on; absent when the plan creates it. */
  apiId?: string
  /** The VPC link used (NEW_VPC_LINK when the plan creates it), absent for internet-facing. */
  vpcLinkId?: LinkRef
  /** The methods the API should have (with NEW_VPC_LINK where the link is yet to be made). */
  desired: DesiredResource[]
  /** The custom domain's target, where the domain exists already (the run that makes it learns it then). */
  domainTarget?: AliasTarget
  /** The API keys of `api-keys` that exist already (the ones made are known once made). */
  apiKeys: ApiKey[]
  /** The authorizer the proxied methods use (NEW_AUTHORIZER where the plan makes it); absent for none. */
  authorizerId?: AuthorizerRef
  /** The API settings a deployment puts live, labelled with the methods (undefined: none are set). */
  deployedSettings?: unknown
  warnings: string[]
  notes: string[]
  /** What the run says as a notice (an annotation on the workflow run). */
  notices: string[]
}

export interface DeleteDiscovery {
  sameName: RestApiSummary[]
  vpcLinks: VpcLink[]
  /** What each API of ours to delete holds: its resources (with the links they go through) and stages. */
  contents: Map<string, { resources: ResourceState[]; stages: StageState[] }>
  /** For links delete might remove: the other REST APIs of this repository that go through each. */
  linkUsers: Map<string, string[]>
  /** Every REST API of this repository in the region: which gateways still exist. */
  ours: RestApiSummary[]
  /** The custom domains the APIs to delete are served on, and their DNS records. */
  domain?: DomainDiscovery
  /** Usage plans and keys, read when an API to delete has a stage the action set keys on. */
  keys?: KeysDiscovery
  /** Every REST API in the region as listed: the account's line of deletes is read from their tags. */
  listed?: RestApiSummary[]
  /** By API to delete: its authorizers (the Lambda permissions of ours go before it). */
  authorizers?: Map<string, AuthorizerState[]>
}

export interface DeletePlan {
  steps: Step[]
  notes: string[]
  /**
   * What goes with an API that the action did not put there (a stage, a resource, a method added by hand).
   */
  warnings: string[]
  /** The stages each API to delete has: removed with it (the `stage` output of a delete). */
  stages: { apiId: string; name: string }[]
}
