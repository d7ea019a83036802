/** Carries out a plan's steps in order, resolving the ids that earlier steps create. */
import { all } from '../base/concurrency.js'
import type { AwsContext } from '../aws/context.js'
import type { CreatePlan, DeletePlan, ExistingApi, Step } from '../core/plan.js'
import { Built, type ApplyHooks, type CreateResult, type CreateRun, type DeleteResult } from './run.js'
import { describeStep, handlerOf } from './steps.js'

export type { ApplyHooks, Created, CreateResult, DeleteResult } from './run.js'

/**
 * When steps run. AWS does not need the method steps one by one: the work on each method
 * (delete, put) is a chain of its own that starts once its resource exists, and chains run side
 * by side. Any other step waits for all of them (a barrier), then runs alone, in plan order.
 */
class StepScheduler {
  private readonly resources = new Map<string, Promise<void>>()
  private readonly chains = new Map<string, Promise<void>>()

  /** A resource's creation, once its parent exists. */
  resource(path: string, parentPath: string, work: () => Promise<void>): void {
    this.resources.set(path, this.after(this.resources.get(parentPath), work))
  }

  /** Work on one method, after the earlier work on it and after its resource exists. */
  method(path: string, httpMethod: string, work: () => Promise<void>): void {
    const key = `${httpMethod} ${path}`
    this.chains.set(key, this.after(this.chains.get(key) ?? this.resources.get(path), work))
  }

  /** Waits for everything scheduled; the first failure is thrown once all of it is done. */
  async barrier(): Promise<void> {
    const pending = this.pending()
    this.resources.clear()
    this.chains.clear()
    await all(pending)
  }

  /** Everything still running, for a failure to wait on before it is reported. */
  pending(): Promise<void>[] {
    return [...this.resources.values(), ...this.chains.values()]
  }

  private after(before: Promise<void> | undefined, work: () => Promise<void>): Promise<void> {
    const next = (before ?? Promise.resolve()).then(work)
    // a failure is reported by the barrier that awaits it, not here
    next.catch(() => undefined)
    return next
  }
}

/** Runs a create plan's steps (see StepScheduler for when each runs, each op's handler for what it does). */
export async function applyCreate(
  ctx: AwsContext,
  plan: CreatePlan,
  existing: ExistingApi | undefined,
  hooks: ApplyHooks
): Promise<CreateResult> {
  const built = new Built(plan, existing)
  const scheduler = new StepScheduler()
  const state: CreateRun = { ctx, plan, built, hooks, domainsLeft: { removed: new Map(), held: new Set() } }
  const run = (step: Step) => () => handlerOf(step).create(state, step)
  try {
    for (const step of plan.steps) {
      ctx.log.info(describeStep(step, built.madeLink?.id))
      if (step.op === 'create-resource') scheduler.resource(step.path, step.parentPath, run(step))
      else if (step.op === 'delete-method') scheduler.method(step.path, step.httpMethod, run(step))
      else if (step.op === 'put-method') scheduler.method(step.path, step.method.httpMethod, run(step))
      else {
        await scheduler.barrier()
        await run(step)()
      }
    }
    await scheduler.barrier()
  } catch (error) {
    // never leave a call running behind a failure: wait for all of it before reporting it
    await Promise.allSettled([...scheduler.pending(), built.settling])
    throw error
  }
  // the look for twins may still be going: the caller, who started it, awaits it
  return built.result()
}

/** Runs a delete plan's steps, one after another; each op a delete plans has a delete action. */
export async function applyDelete(ctx: AwsContext, plan: DeletePlan): Promise<DeleteResult> {
  const result: DeleteResult = { deletedApis: [], deletedVpcLinks: [], keptVpcLinks: [], deletedStages: [] }
  const deletedDomains: string[] = []
  const run = {
    ctx,
    result,
    domainsLeft: { removed: new Map(), held: new Set<string>(), deleted: deletedDomains }
  }
  for (const step of plan.steps) {
    ctx.log.info(describeStep(step))
    const handler = handlerOf(step)
    if (!handler.delete) throw new Error(`internal error: ${step.op} in a delete plan`)
    await handler.delete(run, step)
  }
  return { ...result, deletedDomains }
}
