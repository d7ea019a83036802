/**
 * The inputs table: every input of the action, a row each (config/input-row.ts), in the order of the
 * command line's help. The gateway's own rows are here; a feature brings its rows from its folder. The
 * inputs are read from it (config/inputs.ts), the command line's flags and help are made from it
 * (entry/cli.ts), and action.yml and the README are checked against it (__tests__/action-yml.unit.test.ts).
 */
import { DEFAULT_STAGE, Defaults, Inputs } from '../base/constants.js'
import { AUTHORIZER_INPUTS } from '../features/authorizer/inputs.js'
import { CANARY_INPUTS } from '../features/canary/inputs.js'
import { DOMAIN_INPUTS } from '../features/domain/inputs.js'
import { PREVIEWS_INPUTS } from '../features/previews/inputs.js'
import { SETTINGS_INPUTS } from '../features/settings/inputs.js'
import { usageOf, type InputModes, type InputRow } from './input-row.js'

export type { InputModes, InputRow }

/** A row; `arg` names the flag's value in the help (none for a boolean). */
const row = (
  name: string,
  modes: InputModes,
  arg: string | undefined,
  description: string,
  more: Partial<InputRow> = {}
): InputRow => ({ name, type: 'string', description, flag: { arg }, modes, ...more })

/** A boolean input. */
const flag = (
  name: string,
  modes: InputModes,
  fallback: boolean,
  description: string,
  more: Partial<InputRow> = {}
): InputRow => ({ name, type: 'boolean', default: fallback, description, flag: {}, modes, ...more })

/** An input of the action alone: no flag (a workflow's, or the command that says it). */
const actionOnly = { flag: false } as const

const GATEWAY_INPUTS: InputRow[] = [
  row(Inputs.Mode, 'both', undefined, 'create or delete (the command line says it)', {
    ...actionOnly,
    default: Defaults.mode
  }),
  row(
    Inputs.LoadBalancer,
    'both',
    'DNS|ARN|NAME',
    "the API load balancer, or a Classic ELB's name (create needs it or --cluster-name)"
  ),
  row(
    Inputs.ClusterName,
    'both',
    'NAME',
    'the Cortex cluster whose API load balancer to use, found by its tags'
  ),
  row(
    Inputs.ApiName,
    'both',
    'NAME',
    'REST API name, the identity used to find it again (default cortex,\nor cortex-<cluster-name>)'
  ),
  row(
    Inputs.Stage,
    'both',
    'NAME',
    `stage to deploy (default ${DEFAULT_STAGE}); delete: only this stage\n(without it: the whole gateway)`
  ),
  row(
    Inputs.Region,
    'both',
    'REGION',
    "default: AWS_REGION, AWS_DEFAULT_REGION, or the load balancer's DNS name"
  ),
  row(Inputs.Scheme, 'create', 'auto|internet-facing|internal', '', { default: Defaults.scheme }),
  row(Inputs.EndpointType, 'create', 'REGIONAL|EDGE|PRIVATE', '', { default: Defaults.endpointType }),
  row(Inputs.Authorization, 'create', 'NONE|AWS_IAM|COGNITO_USER_POOLS|CUSTOM', '', {
    default: Defaults.authorization
  }),
  flag(Inputs.Cors, 'create', Defaults.cors, 'CORS preflight on both resources (default on)', {
    flag: { no: true }
  }),
  row(Inputs.VpcLinkName, 'create', 'NAME', 'name for a VPC link it creates'),
  row(
    Inputs.VpcLinkVersion,
    'create',
    'auto|v1|v2',
    'internal load balancers: v1 for an NLB, v2 for an ALB by default',
    { default: Defaults.vpcLinkVersion }
  ),
  row(Inputs.SubnetIds, 'create', 'IDS', "v2 link subnets (default: the load balancer's)"),
  row(Inputs.SecurityGroupIds, 'create', 'IDS', "v2 link security groups (default: the load balancer's)"),
  row(Inputs.Timeout, 'both', 'SECONDS', `bound on waits and retries (default ${Defaults.timeoutSeconds})`, {
    type: 'number',
    default: Defaults.timeoutSeconds
  }),
  row(Inputs.Tags, 'create', 'KEY=VALUE', 'extra tags; repeat the flag for more'),
  flag(Inputs.DryRun, 'both', Defaults.dryRun, 'discover and plan only: no AWS write'),
  flag(
    Inputs.WaitForReady,
    'create',
    Defaults.waitForReady,
    'after deploying, poll the invoke URL until it answers below 500'
  ),
  row(Inputs.ReadyPath, 'create', 'PATH', `path to poll (default ${Defaults.readyPath})`, {
    default: Defaults.readyPath
  }),
  flag(
    Inputs.Adopt,
    'create',
    Defaults.adopt,
    'take over a same-named REST API this repository did not make'
  ),
  flag(Inputs.DeleteOnExit, 'create', Defaults.deleteOnExit, 'a post step deletes what this step made', {
    ...actionOnly
  }),
  flag(
    Inputs.FailOnCleanupError,
    'create',
    Defaults.failOnCleanupError,
    'a failing delete-on-exit post step fails the job',
    { ...actionOnly }
  )
]

/** Every input, in the order of the command line's help. */
export const INPUTS: readonly InputRow[] = [
  ...GATEWAY_INPUTS,
  ...DOMAIN_INPUTS,
  ...SETTINGS_INPUTS,
  ...CANARY_INPUTS,
  ...PREVIEWS_INPUTS,
  ...AUTHORIZER_INPUTS
]

/** The row of an input; a name no row has is a mistake of the code's. */
export function inputRow(name: string): InputRow {
  const found = INPUTS.find(r => r.name === name)
  if (!found) throw new Error(`internal error: no input '${name}' in the inputs table`)
  return found
}

/** The command line's help for its flags, a line or two an input, in the table's order. */
export const FLAGS_USAGE = INPUTS.flatMap(usageOf).join('\n')
