/** The REST settings as a feature of the create plan: the API's settings, then the stage's. */
import { ActionError } from '../../base/errors.js'
import type { FeaturePlanner } from '../../core/feature.js'
import { part } from '../../core/plan-part.js'
import { cloudWatchRoleMissing, planApiSettings, planStageSettings } from './plan.js'

export const planSettingsFeature: FeaturePlanner = ({ config, found, existing }) => {
  const api = planApiSettings(config.settings, config.endpointType, existing)
  const stage = planStageSettings(config.settings, config.stage, found.api?.stage)
  if (stage.needsCloudWatchRole && found.cloudWatchRole === '') {
    throw new ActionError(cloudWatchRoleMissing(config.region))
  }
  return {
    // the stage's tag is brought to what is wanted once all its old value covers is undone (the keys too)
    parts: {
      api: part({ steps: api.steps }),
      stage: part({ steps: stage.steps }),
      settle: part({ steps: stage.after })
    },
    apiTags: api.apiTag,
    stageTags: stage.stageTag,
    atCreate: api.create,
    needsDeploy: api.needsDeploy,
    deployed: api.deployed
  }
}
