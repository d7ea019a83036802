/** The job summary: what the gateway is and what this run did, for people reading the run. */
import { Outputs } from './constants.js'
import type { RunResult } from './engine.js'

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

const code = (s: string | undefined): string => (s ? `<code>${escape(s)}</code>` : '—')

export function consoleUrl(region: string, apiId: string): string {
  return `https://${region}.console.aws.amazon.com/apigateway/main/apis/${apiId}/resources?api=${apiId}&region=${region}`
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

/** Markdown and HTML for core.summary.addRaw: a heading, a table, the plan. */
export function renderSummary(apiName: string, result: RunResult): string {
  const o = result.outputs
  const url = o[Outputs.InvokeUrl]
  const ready = o[Outputs.ReadyStatus]
  const apiIds = (o[Outputs.ApiId] ?? '').split(',').filter(Boolean)
  const apiCell = apiIds.length
    ? apiIds
        .map((id) => (result.outcome === 'deleted' ? code(id) : `${code(id)} (<a href="${escape(consoleUrl(result.region, id))}">AWS console</a>)`))
        .join(', ')
    : '—'
  const rows: [string, string][] = [
    ['This run', escape(OUTCOME_TEXT[result.outcome])],
    ['Invoke URL', url ? `<a href="${escape(url)}">${escape(url)}</a>` : '—'],
    ['REST API', apiCell],
    ['Stage', code(o[Outputs.Stage])],
    ['Region', code(result.region)]
  ]
  if (result.mode === 'create') {
    rows.push(['Scheme', code(o[Outputs.Scheme])])
    rows.push(['VPC link', code(o[Outputs.VpcLinkId])])
    rows.push(['Load balancer', code(o[Outputs.LoadBalancerArn])])
    if (ready) rows.push(['Ready', `answered ${escape(ready)}`])
  } else {
    rows.push(['VPC link deleted', code(o[Outputs.VpcLinkId])])
  }
  const writes = result.calls.filter((c) => c.write).length
  const lines = [
    `### REST gateway "${escape(apiName)}": ${escape(OUTCOME_TEXT[result.outcome])}`,
    '',
    '<table>',
    ...rows.map(([k, v]) => `<tr><th align="left">${k}</th><td>${v}</td></tr>`),
    '</table>',
    ''
  ]
  if (result.steps.length > 0) {
    lines.push(result.dryRun ? '**Plan** (nothing was changed):' : '**Changes made:**', '')
    lines.push(...result.steps.map((s) => `- ${escape(s)}`), '')
  }
  lines.push(`<sub>${result.calls.length} AWS calls, ${writes} of them writes.</sub>`, '')
  return lines.join('\n')
}

export function renderFailure(apiName: string, mode: string, message: string): string {
  return [`### REST gateway "${escape(apiName)}": ${escape(mode)} failed`, '', '```', message, '```', ''].join('\n')
}
