/** The API keys' steps: the usage plan of a stage, its keys; their text and action (never a key's value). */
import { changesText } from '../../report/words.js'
import { Tags } from '../../base/constants.js'
import type { AwsContext } from '../../aws/context.js'
import type { Run, StepHandlers } from '../../engine/run.js'
import * as keys from './aws.js'
import { madeForStage, planFor, type KeyStep } from './plan.js'

/** The steps a create and a delete share. */
const shared =
  <S extends SharedKeyStep>() =>
  (run: Run, step: S): Promise<void> =>
    performKeyStep(run.ctx, step)

export const keySteps: StepHandlers<KeyStep> = {
  'create-usage-plan': {
    text: step =>
      `create usage plan "${step.name}" for stage "${step.stage}"` +
      (step.quota ? `, quota ${step.quota.limit}/${step.quota.period.toLowerCase()}` : '') +
      (step.throttle ? `, throttle ${step.throttle.rate}/${step.throttle.burst}` : ''),
    create: async ({ ctx, plan, built, hooks }, step) => {
      const apiId = built.api()
      built.usagePlanId = await keys.createUsagePlan(
        ctx,
        {
          ...step,
          apiId,
          description: `API keys of REST gateway "${plan.apiName}", made by ${hooks.madeBy}`
        },
        // an answer lost on the way back: the plan of ours for this API stage is the one it made
        async () => planFor(await keys.listUsagePlans(ctx), plan.owner, apiId, step.stage)?.id
      )
    }
  },
  'update-usage-plan': {
    text: step => `update usage plan ${step.planId}: ${changesText(step.changes)}`,
    create: shared(),
    delete: shared()
  },
  'create-api-key': {
    text: step => `create API key "${step.name}"`,
    create: async ({ ctx, plan, built, hooks }, step) => {
      built.keys.set(
        step.name,
        await keys.createApiKey(
          ctx,
          step.name,
          step.tags,
          `Made by ${hooks.madeBy} for "${plan.apiName}"`,
          // the plan made none of the name for this stage: one there now is the lost attempt's
          async () => {
            const k = (await keys.listApiKeys(ctx, true)).find(
              k =>
                k.name === step.name &&
                madeForStage(k.tags, plan.owner, plan.apiName, step.tags[Tags.Stage] ?? '')
            )
            return k && { id: k.id, value: k.value ?? '' }
          }
        )
      )
    }
  },
  'attach-api-key': {
    text: step => `add API key "${step.name}" to the usage plan`,
    create: ({ ctx, built }, step) => {
      const planId = step.planId ?? built.usagePlanId
      const keyId = step.keyId ?? built.keys.get(step.name)?.id
      if (!planId || !keyId) throw new Error(`internal error: API key "${step.name}" or its plan is not made`)
      return keys.attachApiKey(ctx, planId, keyId)
    }
  },
  'detach-api-key': {
    text: step => `take API key "${step.name}" off usage plan ${step.planId}`,
    create: shared(),
    delete: shared()
  },
  'delete-api-key': {
    text: step => `delete API key "${step.name}" (${step.keyId})`,
    create: shared(),
    delete: shared()
  },
  'delete-usage-plan': {
    text: step => `delete usage plan ${step.planId}`,
    create: shared(),
    delete: shared()
  }
}

type SharedKeyStep = Extract<
  KeyStep,
  { op: 'update-usage-plan' | 'detach-api-key' | 'delete-api-key' | 'delete-usage-plan' }
>

/** The key steps a create and a delete share. */
async function performKeyStep(ctx: AwsContext, step: SharedKeyStep): Promise<void> {
  switch (step.op) {
    case 'update-usage-plan':
      return keys.updateUsagePlan(ctx, step.planId, step.patches)
    case 'detach-api-key':
      return keys.detachApiKey(ctx, step.planId, step.keyId)
    case 'delete-api-key':
      return keys.deleteApiKey(ctx, step.keyId)
    case 'delete-usage-plan':
      return keys.deleteUsagePlan(ctx, step.planId, step.apiStages)
  }
}
