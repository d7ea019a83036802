/**
 * What a feature (the REST settings, the API keys, the custom domain) is to the create planner: a planner
 * given what the core knows, giving back its steps by phase and what the API and stage need of it. The core
 * loops over the features (core/features.ts) and places their steps; it knows none of them by name.
 */
import type { CreateConfig } from '../config/inputs.js'
import type { ApiKey, RestApiSummary, VpcLink } from '../model/model.js'
import type { Backend, Variables } from '../features/canary/plan.js'
import type { AliasTarget } from '../features/domain/plan.js'
import type { Part } from './plan-part.js'
import type { CreateDiscovery, Step } from './plan.js'

/** What a feature plans from. */
export interface FeatureInput {
  config: CreateConfig
  found: CreateDiscovery
  /** The tags of ours every resource made for this gateway carries, the user's `tags` with them. */
  tags: Record<string, string>
  /** The API the gateway is; absent for a new one. */
  existing?: RestApiSummary
  /** Twins of it this plan deletes (left by racing or interrupted runs). */
  twinIds: string[]
  /** The cluster the integrations reach, where they name it by stage variables (all but v2 links). */
  backend?: Backend
}

/**
 * When a feature's steps run, in this order: once the API exists, before its resources and methods change
 * (`methods`: what a method refers to); after the API's own changes, before the deployment (`api`);
 * after the stage is deployed (`stage`); once every feature's stage steps are done, what records them
 * (`settle`: a tag brought to what is wanted once all its old value covered is undone); after that (`last`);
 * after the clean-up of twins and spare VPC links (`sweep`). Within a phase, in the order of the features.
 */
export const PHASES = ['methods', 'api', 'stage', 'settle', 'last', 'sweep'] as const
export type Phase = (typeof PHASES)[number]

/** What a new API is made with (CreateRestApi). */
export interface ApiAtCreate {
  binaryMediaTypes: string[]
  policy?: string
  vpcEndpointIds: string[]
  disableExecuteApiEndpoint?: boolean
}

/** A feature's part of a create plan. */
export interface FeaturePlan {
  parts: Partial<Record<Phase, Part<Step>>>
  /** Tags of ours the API carries: a new API is made with them. */
  apiTags?: Record<string, string>
  /** Tags of ours the stage carries: a new stage is made with them. */
  stageTags?: Record<string, string>
  /** What a new API is made with. */
  atCreate?: ApiAtCreate
  /** A change that takes effect only once deployed. */
  needsDeploy?: boolean
  /** What a deployment puts live of the feature's, part of its label (undefined: nothing). */
  deployed?: unknown
  /** The stage variables a new stage is made with. */
  stageVariables?: Variables
  /** VPC links the feature's part goes through: not removed as spare. */
  keepLinks?: VpcLink[]
  /** What the plan reports of the feature. */
  report?: { domainTarget?: AliasTarget; apiKeys?: ApiKey[] }
}

export type FeaturePlanner = (input: FeatureInput) => FeaturePlan
