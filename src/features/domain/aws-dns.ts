/** Route 53: the records at one name of a hosted zone, and atomic changes to them. */
import type { ResourceRecordSet } from '@aws-sdk/client-route-53'
import type { DnsRecord } from '../../model/model.js'
import { call } from '../../aws/call.js'
import type { AwsContext } from '../../aws/context.js'

/** Route 53 names end in a dot and escape some characters (`*` as \052); the model's do neither. */
const plainName = (name: string | undefined): string =>
  (name ?? '')
    .replace(/\\(\d{3})/g, (_m, code: string) => String.fromCharCode(parseInt(code, 8)))
    .replace(/\.$/, '')
    .toLowerCase()

function toRecord(r: ResourceRecordSet): DnsRecord {
  return {
    name: plainName(r.Name),
    type: r.Type ?? '',
    ttl: r.TTL,
    values: (r.ResourceRecords ?? []).map(v => v.Value ?? ''),
    alias: r.AliasTarget && {
      dnsName: plainName(r.AliasTarget.DNSName),
      zoneId: r.AliasTarget.HostedZoneId ?? '',
      evaluateTargetHealth: r.AliasTarget.EvaluateTargetHealth ?? false
    }
  }
}

function toAws(r: DnsRecord): ResourceRecordSet {
  return {
    Name: r.name,
    Type: r.type as ResourceRecordSet['Type'],
    ...(r.alias
      ? {
          AliasTarget: {
            DNSName: r.alias.dnsName,
            HostedZoneId: r.alias.zoneId,
            EvaluateTargetHealth: r.alias.evaluateTargetHealth
          }
        }
      : { TTL: r.ttl, ResourceRecords: r.values.map(Value => ({ Value })) })
  }
}

/** The zone's name, lower case without the final dot. */
export async function hostedZoneName(ctx: AwsContext, zoneId: string): Promise<string> {
  const { client, r53 } = await ctx.route53()
  const out = await call(ctx, 'GetHostedZone', () =>
    client.send(new r53.GetHostedZoneCommand({ Id: zoneId }))
  )
  return plainName(out.HostedZone?.Name)
}

/** Every record set at exactly `name` (all types), read from where Route 53's sorted listing reaches it. */
export async function recordsAt(ctx: AwsContext, zoneId: string, name: string): Promise<DnsRecord[]> {
  const { client, r53 } = await ctx.route53()
  const found: DnsRecord[] = []
  let type: string | undefined
  let identifier: string | undefined
  for (;;) {
    const out = await call(ctx, 'ListResourceRecordSets', () =>
      client.send(
        new r53.ListResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          StartRecordName: name,
          StartRecordType: type as ResourceRecordSet['Type'],
          StartRecordIdentifier: identifier,
          MaxItems: 20
        })
      )
    )
    const page = (out.ResourceRecordSets ?? []).map(toRecord)
    found.push(...page.filter(r => r.name === name))
    // sorted by name: once a page reaches past the name, or the listing ends, nothing more is at it
    if (!out.IsTruncated || page.some(r => r.name !== name) || plainName(out.NextRecordName) !== name) {
      return found
    }
    type = out.NextRecordType
    identifier = out.NextRecordIdentifier
  }
}

export type DnsChange = { action: 'CREATE' | 'UPSERT' | 'DELETE'; record: DnsRecord }

/** One atomic batch: all of it happens, or none. */
export async function changeRecords(
  ctx: AwsContext,
  zoneId: string,
  comment: string,
  changes: DnsChange[]
): Promise<void> {
  const { client, r53 } = await ctx.route53()
  await call(ctx, 'ChangeResourceRecordSets', () =>
    client.send(
      new r53.ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Comment: comment,
          Changes: changes.map(c => ({ Action: c.action, ResourceRecordSet: toAws(c.record) }))
        }
      })
    )
  )
}
