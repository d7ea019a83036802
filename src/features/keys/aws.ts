/** Usage plans and API keys, mapped into the planner's shapes. */
import {
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanCommand,
  DeleteUsagePlanKeyCommand,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  UpdateUsagePlanCommand,
  type QuotaPeriodType
} from '@aws-sdk/client-api-gateway'
import type { ApiKey, Patch, UsagePlan } from '../../model/model.js'
import { call, unlessNotFound } from '../../aws/call.js'
import type { AwsContext } from '../../aws/context.js'
import { allPages } from '../../aws/paging.js'

export async function listUsagePlans(ctx: AwsContext): Promise<UsagePlan[]> {
  return allPages(async position => {
    const out = await call(ctx, 'GetUsagePlans', () =>
      ctx.apigw.send(new GetUsagePlansCommand({ limit: 500, position }))
    )
    return {
      next: out.position,
      items: (out.items ?? []).map(p => ({
        id: p.id ?? '',
        name: p.name ?? '',
        apiStages: (p.apiStages ?? []).map(s => ({ apiId: s.apiId ?? '', stage: s.stage ?? '' })),
        // numbers, whatever the answer held (an emulator keeps a patched number as text)
        quota:
          p.quota?.limit !== undefined
            ? { limit: Number(p.quota.limit), period: p.quota.period ?? '' }
            : undefined,
        throttle:
          p.throttle?.rateLimit !== undefined && p.throttle.burstLimit !== undefined
            ? { rate: Number(p.throttle.rateLimit), burst: Number(p.throttle.burstLimit) }
            : undefined,
        tags: p.tags ?? {}
      }))
    }
  })
}

/**
 * Every API key; with `values`, each with its value (for the `api-key` output, masked before it is
 * set). AWS lists values for all keys or none.
 */
export async function listApiKeys(ctx: AwsContext, values: boolean): Promise<ApiKey[]> {
  return allPages(async position => {
    const out = await call(ctx, 'GetApiKeys', () =>
      ctx.apigw.send(new GetApiKeysCommand({ limit: 500, position, includeValues: values }))
    )
    return {
      next: out.position,
      items: (out.items ?? []).map(k => ({
        id: k.id ?? '',
        name: k.name ?? '',
        value: k.value,
        tags: k.tags ?? {}
      }))
    }
  })
}

export async function usagePlanKeyIds(ctx: AwsContext, planId: string): Promise<string[]> {
  const keys = await unlessNotFound(
    allPages(async position => {
      const out = await call(ctx, 'GetUsagePlanKeys', () =>
        ctx.apigw.send(new GetUsagePlanKeysCommand({ usagePlanId: planId, limit: 500, position }))
      )
      return { next: out.position, items: (out.items ?? []).map(k => k.id ?? '') }
    })
  )
  return keys ?? []
}

export async function createUsagePlan(
  ctx: AwsContext,
  spec: {
    name: string
    apiId: string
    stage: string
    quota?: { limit: number; period: string }
    throttle?: { rate: number; burst: number }
    tags: Record<string, string>
    description: string
  },
  /** Finds the plan an attempt whose answer was lost made. */
  findMade?: () => Promise<string | undefined>
): Promise<string> {
  return call(
    ctx,
    'CreateUsagePlan',
    async () => {
      const out = await ctx.apigw.send(
        new CreateUsagePlanCommand({
          name: spec.name,
          description: spec.description,
          apiStages: [{ apiId: spec.apiId, stage: spec.stage }],
          quota: spec.quota && { limit: spec.quota.limit, period: spec.quota.period as QuotaPeriodType },
          throttle: spec.throttle && { rateLimit: spec.throttle.rate, burstLimit: spec.throttle.burst },
          tags: spec.tags
        })
      )
      return out.id ?? ''
    },
    { adopt: findMade }
  )
}

export async function updateUsagePlan(ctx: AwsContext, planId: string, patches: Patch[]): Promise<void> {
  await call(ctx, 'UpdateUsagePlan', () =>
    ctx.apigw.send(new UpdateUsagePlanCommand({ usagePlanId: planId, patchOperations: patches }))
  )
}

export async function createApiKey(
  ctx: AwsContext,
  name: string,
  tags: Record<string, string>,
  description: string,
  /** Finds the key an attempt whose answer was lost made. */
  findMade?: () => Promise<{ id: string; value: string } | undefined>
): Promise<{ id: string; value: string }> {
  return call(
    ctx,
    'CreateApiKey',
    async () => {
      const out = await ctx.apigw.send(new CreateApiKeyCommand({ name, enabled: true, tags, description }))
      return { id: out.id ?? '', value: out.value ?? '' }
    },
    { adopt: findMade }
  )
}

export async function attachApiKey(ctx: AwsContext, planId: string, keyId: string): Promise<void> {
  await call(ctx, 'CreateUsagePlanKey', () =>
    ctx.apigw.send(new CreateUsagePlanKeyCommand({ usagePlanId: planId, keyId, keyType: 'API_KEY' }))
  )
}

export async function detachApiKey(ctx: AwsContext, planId: string, keyId: string): Promise<void> {
  await unlessNotFound(
    call(ctx, 'DeleteUsagePlanKey', () =>
      ctx.apigw.send(new DeleteUsagePlanKeyCommand({ usagePlanId: planId, keyId }))
    )
  )
}

export async function deleteApiKey(ctx: AwsContext, keyId: string): Promise<void> {
  await unlessNotFound(
    call(ctx, 'DeleteApiKey', () => ctx.apigw.send(new DeleteApiKeyCommand({ apiKey: keyId })))
  )
}

/** Takes its stages off first (AWS deletes no plan that still serves a stage), then deletes it. */
export async function deleteUsagePlan(
  ctx: AwsContext,
  planId: string,
  apiStages: { apiId: string; stage: string }[]
): Promise<void> {
  if (apiStages.length > 0) {
    await unlessNotFound(
      updateUsagePlan(
        ctx,
        planId,
        apiStages.map(s => ({ op: 'remove', path: '/apiStages', value: `${s.apiId}:${s.stage}` }))
      )
    )
  }
  await unlessNotFound(
    call(ctx, 'DeleteUsagePlan', () => ctx.apigw.send(new DeleteUsagePlanCommand({ usagePlanId: planId })))
  )
}
