/** API Gateway custom domain names and their base path mappings, mapped into the model. */
import {
  CreateBasePathMappingCommand,
  CreateDomainNameCommand,
  DeleteBasePathMappingCommand,
  DeleteDomainNameCommand,
  GetBasePathMappingsCommand,
  GetDomainNameCommand,
  GetDomainNamesCommand,
  TagResourceCommand,
  UpdateBasePathMappingCommand,
  UpdateDomainNameCommand,
  type DomainName
} from '@aws-sdk/client-api-gateway'
import type { BasePathMapping, CustomDomain, Tags } from '../../model/model.js'
import { call, unlessNotFound } from '../../aws/call.js'
import type { AwsContext } from '../../aws/context.js'
import { allPages } from '../../aws/paging.js'

/** How AWS writes the root base path. */
const ROOT_BASE_PATH = '(none)'

const toAws = (basePath: string): string => (basePath === '' ? ROOT_BASE_PATH : basePath)
const fromAws = (basePath: string | undefined): string =>
  !basePath || basePath === ROOT_BASE_PATH ? '' : basePath

function toDomain(d: DomainName, name: string): CustomDomain {
  const edge = (d.endpointConfiguration?.types ?? []).includes('EDGE')
  return {
    name: (d.domainName ?? name).toLowerCase(),
    endpointType: edge ? 'EDGE' : (d.endpointConfiguration?.types?.[0] ?? 'REGIONAL'),
    certificateArn: edge ? d.certificateArn : d.regionalCertificateArn,
    target: edge ? d.distributionDomainName : d.regionalDomainName,
    targetZoneId: edge ? d.distributionHostedZoneId : d.regionalHostedZoneId,
    securityPolicy: d.securityPolicy,
    tags: d.tags ?? {}
  }
}

export async function getDomainName(ctx: AwsContext, name: string): Promise<CustomDomain | undefined> {
  const out = await unlessNotFound(
    call(ctx, 'GetDomainName', () => ctx.apigw.send(new GetDomainNameCommand({ domainName: name })))
  )
  return out && toDomain(out, name)
}

/** Every custom domain of the region, with its tags. */
export async function listDomainNames(ctx: AwsContext): Promise<CustomDomain[]> {
  return allPages(async position => {
    const out = await call(ctx, 'GetDomainNames', () =>
      ctx.apigw.send(new GetDomainNamesCommand({ limit: 500, position }))
    )
    return { next: out.position, items: (out.items ?? []).map(d => toDomain(d, d.domainName ?? '')) }
  })
}

/** The domain's mappings; undefined when there is no such domain. */
export async function getBasePathMappings(
  ctx: AwsContext,
  name: string
): Promise<BasePathMapping[] | undefined> {
  return unlessNotFound(
    allPages(async position => {
      const out = await call(ctx, 'GetBasePathMappings', () =>
        ctx.apigw.send(new GetBasePathMappingsCommand({ domainName: name, limit: 500, position }))
      )
      return {
        next: out.position,
        items: (out.items ?? []).map(m => ({
          basePath: fromAws(m.basePath),
          restApiId: m.restApiId ?? '',
          stage: m.stage
        }))
      }
    })
  )
}

export interface NewDomain {
  name: string
  endpointType: string
  certificateArn: string
  tags: Tags
  securityPolicy?: string
}

/** An enhanced policy (`SecurityPolicy_…`) needs an endpoint access mode: STRICT, as AWS recommends. */
const accessModeFor = (policy: string): { endpointAccessMode?: 'STRICT' } =>
  policy.startsWith('SecurityPolicy_') ? { endpointAccessMode: 'STRICT' } : {}

/**
 * Makes the domain (with its TLS policy, TLS 1.2 by default); `findMade` finds what an attempt whose answer was
 * lost made.
 */
export async function createDomainName(
  ctx: AwsContext,
  spec: NewDomain,
  findMade?: () => Promise<CustomDomain | undefined>
): Promise<CustomDomain> {
  const edge = spec.endpointType === 'EDGE'
  return call(
    ctx,
    'CreateDomainName',
    async () =>
      toDomain(
        await ctx.apigw.send(
          new CreateDomainNameCommand({
            domainName: spec.name,
            endpointConfiguration: { types: [edge ? 'EDGE' : 'REGIONAL'] },
            ...(edge
              ? { certificateArn: spec.certificateArn }
              : { regionalCertificateArn: spec.certificateArn }),
            securityPolicy: (spec.securityPolicy ?? 'TLS_1_2') as 'TLS_1_2',
            ...accessModeFor(spec.securityPolicy ?? 'TLS_1_2'),
            tags: spec.tags
          })
        ),
        spec.name
      ),
    { adopt: findMade }
  )
}

/** Tags a custom domain name (its ARN: `arn:aws:apigateway:<region>::/domainnames/<name>`). */
export async function tagDomainName(ctx: AwsContext, name: string, tags: Tags): Promise<void> {
  await call(ctx, 'TagResource', () =>
    ctx.apigw.send(
      new TagResourceCommand({ resourceArn: `arn:aws:apigateway:${ctx.region}::/domainnames/${name}`, tags })
    )
  )
}

export async function setDomainCertificate(
  ctx: AwsContext,
  name: string,
  endpointType: string,
  certificateArn: string
): Promise<void> {
  const path = endpointType === 'EDGE' ? '/certificateArn' : '/regionalCertificateArn'
  await call(ctx, 'UpdateDomainName', () =>
    ctx.apigw.send(
      new UpdateDomainNameCommand({
        domainName: name,
        patchOperations: [{ op: 'replace', path, value: certificateArn }]
      })
    )
  )
}

/** Changes the domain's TLS policy in place (with the access mode an enhanced policy needs). */
export async function setDomainSecurityPolicy(ctx: AwsContext, name: string, policy: string): Promise<void> {
  const mode = accessModeFor(policy).endpointAccessMode
  await call(ctx, 'UpdateDomainName', () =>
    ctx.apigw.send(
      new UpdateDomainNameCommand({
        domainName: name,
        patchOperations: [
          { op: 'replace', path: '/securityPolicy', value: policy },
          ...(mode ? [{ op: 'replace' as const, path: '/endpointAccessMode', value: mode }] : [])
        ]
      })
    )
  )
}

export async function createBasePathMapping(
  ctx: AwsContext,
  domain: string,
  mapping: Required<BasePathMapping>
): Promise<void> {
  await call(ctx, 'CreateBasePathMapping', () =>
    ctx.apigw.send(
      new CreateBasePathMappingCommand({
        domainName: domain,
        basePath: mapping.basePath === '' ? undefined : mapping.basePath,
        restApiId: mapping.restApiId,
        stage: mapping.stage
      })
    )
  )
}

export async function setBasePathStage(
  ctx: AwsContext,
  domain: string,
  basePath: string,
  stage: string
): Promise<void> {
  await call(ctx, 'UpdateBasePathMapping', () =>
    ctx.apigw.send(
      new UpdateBasePathMappingCommand({
        domainName: domain,
        basePath: toAws(basePath),
        patchOperations: [{ op: 'replace', path: '/stage', value: stage }]
      })
    )
  )
}

/** Removes a mapping; one already gone is no failure. */
export async function deleteBasePathMapping(
  ctx: AwsContext,
  domain: string,
  basePath: string
): Promise<void> {
  await unlessNotFound(
    call(ctx, 'DeleteBasePathMapping', () =>
      ctx.apigw.send(new DeleteBasePathMappingCommand({ domainName: domain, basePath: toAws(basePath) }))
    )
  )
}

/** Removes a domain; one already gone is no failure. */
export async function deleteDomainName(ctx: AwsContext, name: string): Promise<void> {
  await unlessNotFound(
    call(ctx, 'DeleteDomainName', () => ctx.apigw.send(new DeleteDomainNameCommand({ domainName: name })))
  )
}
