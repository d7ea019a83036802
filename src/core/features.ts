/**
 * The features the create planner loops over, in the order it plans them (so of two inputs at fault, the same
 * one is reported first) and their steps run within a phase.
 */
import { planCanaryFeature } from '../features/canary/plan-feature.js'
import { planDomainFeature } from '../features/domain/plan-feature.js'
import { planKeysFeature } from '../features/keys/plan-feature.js'
import { planSettingsFeature } from '../features/settings/plan-feature.js'
import { planCorsFeature } from '../features/cors/plan-feature.js'
import { planAuthorizerFeature } from '../features/authorizer/plan-feature.js'
import type { FeaturePlanner } from './feature.js'

export const FEATURES: readonly FeaturePlanner[] = [
  planDomainFeature,
  planSettingsFeature,
  planKeysFeature,
  planCanaryFeature,
  planCorsFeature,
  planAuthorizerFeature
]
