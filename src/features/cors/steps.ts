/** CORS on the gateway's own answers: the gateway responses' steps, their text and action. */
import type { StepHandlers } from '../../engine/run.js'
import * as cors from './aws.js'
import type { CorsStep } from './plan.js'

export const corsSteps: StepHandlers<CorsStep> = {
  'put-gateway-response': {
    text: step => `set the ${step.responseType} gateway response: CORS headers, a JSON body`,
    create: ({ ctx, built }, step) => cors.putGatewayResponse(ctx, built.api(), step)
  },
  'delete-gateway-response': {
    text: step => `reset the ${step.responseType} gateway response the action set (CORS off)`,
    create: ({ ctx, built }, step) => cors.deleteGatewayResponse(ctx, built.api(), step.responseType)
  }
}
