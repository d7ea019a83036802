/** CORS on the gateway's own answers as a feature of the create plan: set before the deployment. */
import type { FeaturePlanner } from '../../core/feature.js'
import { part } from '../../core/plan-part.js'
import { corsResponse, planCorsResponses } from './plan.js'

export const planCorsFeature: FeaturePlanner = ({ config, found, existing }) => {
  const want = { cors: config.cors, origins: config.settings.corsAllowOrigins }
  const responses = planCorsResponses(want, existing ? found.gatewayResponses : [])
  return {
    parts: { api: part({ steps: responses.steps, notes: responses.notes }) },
    // gateway responses take effect once deployed: a run that set them and stopped is redeployed by the next
    needsDeploy: responses.steps.length > 0,
    deployed: config.cors ? { gatewayResponses: corsResponse(want.origins) } : undefined
  }
}
