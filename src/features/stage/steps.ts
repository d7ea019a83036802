/** The steps of a one-stage delete: their text and what each does (a delete plans them, never a create). */
import { isAwsError } from '../../base/errors.js'
import { untagRestApi } from '../../aws/rest-api.js'
import type { StepHandlers } from '../../engine/run.js'
import { disassociateWebAcl } from '../settings/aws.js'
import { deleteStage } from './aws.js'
import type { StageDeleteStep } from './plan.js'

const notInCreate = (op: string) => (): Promise<void> =>
  Promise.reject(new Error(`internal error: ${op} in a create plan`))

export const stageSteps: StepHandlers<StageDeleteStep> = {
  'delete-stage': {
    text: step => `delete stage "${step.stage}" of REST API ${step.apiId}`,
    create: notInCreate('delete-stage'),
    delete: async ({ ctx, result }, step) => {
      if (await deleteStage(ctx, step.apiId, step.stage))
        result.deletedStages.push({ apiId: step.apiId, stage: step.stage })
    }
  },
  'disassociate-stage-web-acl': {
    text: step => `disassociate the web ACL from stage "${step.stage}" of REST API ${step.apiId}`,
    create: notInCreate('disassociate-stage-web-acl'),
    delete: async ({ ctx }, step) => {
      try {
        await disassociateWebAcl(ctx, step.apiId, step.stage)
      } catch (error) {
        // none associated (removed by hand, or by a run that stopped after it): nothing to do
        if (!isAwsError(error, 'WAFNonexistentItemException')) throw error
      }
    }
  },
  'untag-api-domain': {
    text: step => `untag REST API ${step.apiId}: ${step.keys.join(', ')} (it is no longer served there)`,
    create: notInCreate('untag-api-domain'),
    delete: async ({ ctx }, step) => {
      if (step.keys.length > 0) await untagRestApi(ctx, step.apiId, step.keys)
    }
  }
}
