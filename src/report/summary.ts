/** The job summary: what the gateway is and what this run did, for people reading the run. */
import { Outputs } from '../base/constants.js'
import type { RunResult } from './run.js'
import { joinMarkup, md, type Markup } from './safe-text.js'

const code = (s: string | undefined): Markup => (s ? md`<code>${s}</code>` : md`—`)

export function consoleUrl(region: string, apiId: string): string {
  return (
    `https://${region}.console.aws.amazon.com/apigateway/main/apis/${apiId}/resources` +
    `?api=${apiId}&region=${region}`
  )
}

const OUTCOME_TEXT: Record<RunResult['outcome'], string> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'unchanged: nothing to change',
  deleted: 'deleted',
  absent: 'nothing to delete',
  'would-create': 'dry run: would be created',
  'would-update': 'dry run: would be updated',
  'would-delete': 'dry run: would be deleted'
}

/**
 * Markdown and HTML for core.summary.addRaw: a heading, a table, the plan. Every value is escaped
 * by `md`.
 */
export function renderSummary(apiName: string, result: RunResult): string {
  const o = result.outputs
  const url = o[Outputs.InvokeUrl]
  const ready = o[Outputs.ReadyStatus]
  const outcome = OUTCOME_TEXT[result.outcome]
  const apiIds = (o[Outputs.ApiId] ?? '').split(',').filter(Boolean)
  const apiCell = apiIds.length
    ? joinMarkup(
        apiIds.map(id =>
          result.outcome === 'deleted'
            ? code(id)
            : md`${code(id)} (<a href="${consoleUrl(result.region, id)}">AWS console</a>)`
        ),
        ', '
      )
    : md`—`
  const rows: [string, Markup][] = [
    ['This run', md`${outcome}`],
    ['Invoke URL', url ? md`<a href="${url}">${url}</a>` : md`—`],
    ['REST API', apiCell],
    ['Stage', code(o[Outputs.Stage]?.split('\n').join(', '))],
    ['Region', code(result.region)]
  ]
  if (result.mode === 'create') {
    rows.push(['Scheme', code(o[Outputs.Scheme])])
    rows.push(['VPC link', code(o[Outputs.VpcLinkId])])
    if (result.clusterName) rows.push(['Cortex cluster', code(result.clusterName)])
    rows.push(['Load balancer', code(o[Outputs.LoadBalancerArn])])
    if (result.shares) rows.push(['Canary', code(result.shares)])
    const domainUrl = o[Outputs.DomainUrl]
    if (domainUrl) {
      rows.push(['Custom domain', md`<a href="${domainUrl}">${domainUrl}</a>`])
      rows.push(['Domain target', code(o[Outputs.DomainTarget])])
    }
    if (result.settings?.length)
      rows.push([
        'Settings',
        joinMarkup(
          result.settings.map(l => md`${l}`),
          ', '
        )
      ])
    if (o[Outputs.ApiKeyIds]) rows.push(['API keys', code(o[Outputs.ApiKeyIds]?.split('\n').join(', '))])
    if (ready) rows.push(['Ready', md`answered ${ready}`])
  } else {
    rows.push(['VPC link deleted', code(o[Outputs.VpcLinkId])])
  }
  const writes = result.calls.filter(c => c.write).length
  const lines: Markup[] = [
    md`### REST gateway "${apiName}": ${outcome}`,
    md``,
    md`<table>`,
    ...rows.map(([k, v]) => md`<tr><th align="left">${k}</th><td>${v}</td></tr>`),
    md`</table>`,
    md``
  ]
  if (result.steps.length > 0) {
    lines.push(result.dryRun ? md`**Plan** (nothing was changed):` : md`**Changes made:**`, md``)
    lines.push(...result.steps.map(s => md`- ${s}`), md``)
  }
  lines.push(md`<sub>${result.calls.length} AWS calls, ${writes} of them writes.</sub>`, md``)
  return joinMarkup(lines, '\n').text
}

/** The failure: the message in a preformatted block, escaped like every other value. */
export function renderFailure(apiName: string, mode: string, message: string): string {
  return joinMarkup(
    [md`### REST gateway "${apiName}": ${mode} failed`, md``, md`<pre>${message}</pre>`, md``],
    '\n'
  ).text
}
