/** The API keys as a feature of the create plan: the stage's usage plan and its keys, once the stage is there. */
import type { FeaturePlanner } from '../../core/feature.js'
import { part } from '../../core/plan-part.js'
import { planKeys } from './plan.js'

export const planKeysFeature: FeaturePlanner = ({ config, found, existing, tags }) => {
  const keys = planKeys({
    owner: config.owner,
    apiName: config.apiName,
    apiId: existing?.id,
    stage: config.stage,
    settings: config.settings,
    found: found.keys,
    tags
  })
  return {
    parts: { stage: part({ steps: keys.steps, notes: keys.notes }) },
    report: { apiKeys: keys.existing }
  }
}
