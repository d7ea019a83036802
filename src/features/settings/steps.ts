/** The REST settings' steps: the API's and the stage's settings, the web ACL; their text and action. */
import type { StepHandlers } from '../../engine/run.js'
import * as settings from './aws.js'
import type { SettingsStep } from './plan.js'
import { changesText } from '../../report/words.js'

/** The settings' own steps; tagging the API and the stage is the gateway's. */
type OwnSettingsStep = Exclude<SettingsStep, { op: 'tag-api' | 'untag-api' | 'tag-stage' }>

export const settingsSteps: StepHandlers<OwnSettingsStep> = {
  'update-api': {
    text: step => `update the API: ${changesText(step.changes)}`,
    create: ({ ctx, built }, step) => settings.updateRestApi(ctx, built.api(), step.patches)
  },
  'update-stage': {
    text: step => `update stage "${step.stage}": ${changesText(step.changes)}`,
    create: ({ ctx, built }, step) => settings.updateStage(ctx, built.api(), step.stage, step.patches)
  },
  'untag-stage': {
    text: step => `untag stage "${step.stage}": ${step.keys.join(', ')}`,
    create: ({ ctx, built }, step) => settings.untagStage(ctx, built.api(), step.stage, step.keys)
  },
  'associate-web-acl': {
    text: step => `associate web ACL ${step.webAclArn} with stage "${step.stage}"`,
    create: ({ ctx, built }, step) => settings.associateWebAcl(ctx, built.api(), step.stage, step.webAclArn)
  },
  'disassociate-web-acl': {
    text: step => `disassociate web ACL ${step.webAclArn} from stage "${step.stage}"`,
    create: ({ ctx, built }, step) => settings.disassociateWebAcl(ctx, built.api(), step.stage)
  }
}
