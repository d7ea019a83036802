/**
 * discover → plan → apply, for both modes; the GitHub Action and the CLI are
 * thin front ends over this.
 */
import type { Created } from './apply.js'
import { makeClients } from '../aws/clients.js'
import { realSleep, type AwsContext } from '../aws/context.js'
import { API_BURST, API_RATE_PER_SECOND, RateLimiter } from '../aws/rate-limiter.js'
import { runCreate } from './create.js'
import { runDelete } from './delete.js'
import type { Config } from '../config/inputs.js'
import { safeLog, type Log } from '../report/log.js'
import type { Provenance } from '../model/ownership.js'
import type { RunResult } from './result.js'

export type { Created, Provenance }
export { invokeUrl, type RunOutcome, type RunResult } from './result.js'

export interface EngineOptions {
  config: Config
  log: Log
  /** Where the run comes from, for tags; may still be loading while discovery runs. */
  provenance?: Provenance | Promise<Provenance>
  /** For tests: a different clock, sleep or clients. */
  context?: Partial<AwsContext>
  /** For tests: what the readiness probe fetches with. */
  fetch?: typeof fetch
  /** Told of each thing a create makes, the moment it exists (delete-on-exit deletes only these). */
  onCreated?: (made: Created) => void
}

export async function runEngine(options: EngineOptions): Promise<RunResult> {
  const { config } = options
  const now = options.context?.now ?? Date.now
  const sleep = options.context?.sleep ?? realSleep
  const clients = makeClients(config.region)
  const ctx: AwsContext = {
    limiter: options.context?.limiter ?? new RateLimiter(API_RATE_PER_SECOND, API_BURST, now, sleep),
    region: config.region,
    apigw: options.context?.apigw ?? clients.apigw,
    apigwv2: options.context?.apigwv2 ?? clients.apigwv2,
    elb: options.context?.elb ?? clients.elb,
    elbClassic: options.context?.elbClassic ?? clients.elbClassic,
    route53: options.context?.route53 ?? clients.route53,
    wafv2: options.context?.wafv2 ?? clients.wafv2,
    lambda: options.context?.lambda ?? clients.lambda,
    cognito: options.context?.cognito ?? clients.cognito,
    // whoever calls, nothing the engine logs can break a line or run a workflow command
    log: safeLog(options.log),
    deadline: now() + config.timeoutSeconds * 1000,
    now,
    sleep,
    random: options.context?.random ?? Math.random,
    calls: options.context?.calls ?? [],
    // a dry run discovers and plans only: the AWS layer refuses any write
    readOnly: config.dryRun
  }
  return config.mode === 'create'
    ? runCreate(ctx, config, {
        provenance: options.provenance ?? {},
        fetch: options.fetch,
        onCreated: options.onCreated
      })
    : runDelete(ctx, config)
}
