/** Every kind of step, by op: its handler, from the feature that plans it. */
import type { Step } from '../core/plan.js'
import { canarySteps } from '../features/canary/steps.js'
import { domainSteps } from '../features/domain/steps.js'
import { keySteps } from '../features/keys/steps.js'
import { settingsSteps } from '../features/settings/steps.js'
import { stageSteps } from '../features/stage/steps.js'
import { corsSteps } from '../features/cors/steps.js'
import { authorizerSteps } from '../features/authorizer/steps.js'
import { gatewaySteps } from './gateway-steps.js'
import type { StepHandler, StepHandlers } from './run.js'

const HANDLERS: StepHandlers<Step> = {
  ...gatewaySteps,
  ...settingsSteps,
  ...keySteps,
  ...domainSteps,
  ...stageSteps,
  ...canarySteps,
  ...corsSteps,
  ...authorizerSteps
}

export function handlerOf<S extends Step>(step: S): StepHandler<S> {
  return HANDLERS[step.op as S['op']] as unknown as StepHandler<S>
}

/**
 * One line a step, for logs and the job summary; `made` is the id of the VPC link the run made, once it
 * exists.
 */
export function describeStep(step: Step, made?: string): string {
  return handlerOf(step).text(step, made)
}
