/**
 * The job summary: what the gateway is and what this run did, for people reading the run, at a glance: a
 * heading, a diagram of the way a request takes, a table, the plan (folded when long). Values are escaped
 * for where they land: in the table (an HTML block) for HTML, in the markdown for markdown, in the diagram
 * for mermaid (safe-text.ts).
 */
import { Outputs } from '../base/constants.js'
import type { Canary, RunResult } from './run.js'
import {
  html,
  htmlBlock,
  joinHtml,
  joinMarkup,
  md,
  mermaid,
  mermaidBlock,
  type Html,
  type Markup,
  type MermaidLine
} from './safe-text.js'
import { counted } from './words.js'

const code = (s: string | undefined): Html => (s ? html`<code>${s}</code>` : html`—`)
/** A link to a URL of AWS's kind (https, a host name, a plain path); any other shown as code, never a link. */
const link = (url: string | undefined): Html =>
  url && /^https:\/\/[a-z0-9.-]+(\/[\w.~/-]*)?$/i.test(url) ? html`<a href="${url}">${url}</a>` : code(url)

/** A plan of more steps than this is folded. */
export const FOLD_AFTER_STEPS = 8

export function consoleUrl(region: string, apiId: string): string {
  const [r, id] = [encodeURIComponent(region), encodeURIComponent(apiId)]
  return `https://${r}.console.aws.amazon.com/apigateway/main/apis/${id}/resources?api=${id}&region=${r}`
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

/** Markdown and HTML for core.summary.addRaw: a heading, a diagram, a table, the plan. */
export function renderSummary(apiName: string, result: RunResult): string {
  const outcome = OUTCOME_TEXT[result.outcome]
  const writes = result.calls.filter(c => c.write).length
  const lines: Markup[] = [md`### REST gateway "${apiName}": ${outcome}`, md``]
  if (result.mode === 'create') lines.push(mermaidBlock(diagram(apiName, result)), md``)
  lines.push(htmlBlock('table', rows(result, outcome)), md``)
  lines.push(...planLines(result))
  lines.push(md`<sub>${counted(result.calls.length, 'AWS call')}, ${counted(writes, 'write')}.</sub>`, md``)
  return joinMarkup(lines, '\n').text
}

/** The table's rows: what the run did, the URLs, the API, then a create's parts or what a delete removed. */
function rows(result: RunResult, outcome: string): Html[] {
  const o = result.outputs
  const apiIds = (o[Outputs.ApiId] ?? '').split(',').filter(Boolean)
  const apiCell = apiIds.length
    ? joinHtml(
        apiIds.map(id =>
          result.mode === 'delete'
            ? code(id)
            : html`${code(id)} (<a href="${consoleUrl(result.region, id)}">AWS console</a>)`
        ),
        ', '
      )
    : html`—`
  const list = (v: string | undefined): string | undefined => v?.split(/[\n,]/).filter(Boolean).join(', ')
  const row = (k: string, v: Html): Html => html`<tr><th align="left">${k}</th><td>${v}</td></tr>`
  if (result.mode === 'delete') {
    // what a delete removes, or a dry run would
    const did = result.dryRun ? 'Would delete' : 'Deleted'
    return [
      row('This run', html`${outcome}`),
      row(`${did} REST API`, apiCell),
      row(`${did} stage`, code(list(o[Outputs.Stage]))),
      row(`${did} VPC link`, code(list(o[Outputs.VpcLinkId]))),
      row(`${did} custom domain`, code(list(result.domains?.join(',')))),
      row('Region', code(result.region))
    ]
  }
  const out: Html[] = [
    row('This run', html`${outcome}`),
    row('Invoke URL', link(o[Outputs.InvokeUrl])),
    row('REST API', apiCell),
    row('Stage', code(list(o[Outputs.Stage]))),
    row('Region', code(result.region)),
    row('Scheme', code(o[Outputs.Scheme])),
    row('VPC link', code(o[Outputs.VpcLinkId]))
  ]
  if (result.clusterName) out.push(row('Cortex cluster', code(result.clusterName)))
  out.push(row('Load balancer', code(o[Outputs.LoadBalancerArn])))
  if (result.shares) out.push(row('Canary', code(result.shares)))
  if (o[Outputs.DomainUrl]) {
    out.push(row('Custom domain', link(o[Outputs.DomainUrl])))
    out.push(row('Domain target', code(o[Outputs.DomainTarget])))
  }
  if (result.settings?.length) out.push(row('Settings', html`${result.settings.join(', ')}`))
  if (o[Outputs.ApiKeyIds]) out.push(row('API keys', code(list(o[Outputs.ApiKeyIds]))))
  if (o[Outputs.ReadyStatus]) out.push(row('Ready', html`answered ${o[Outputs.ReadyStatus]}`))
  return out
}

/** The plan, one step a list item; more than FOLD_AFTER_STEPS steps folded under their count. */
function planLines(result: RunResult): Markup[] {
  const steps = result.steps
  if (steps.length === 0) return []
  const items = [...steps.map(s => md`- ${s}`), md``]
  const title = result.dryRun ? 'Plan (nothing was changed)' : 'Changes made'
  if (steps.length <= FOLD_AFTER_STEPS) return [md`**${title}:**`, md``, ...items]
  // the blank line after <summary> lets markdown read the list inside <details>
  return [
    md`<details><summary>${title}: ${counted(steps.length, 'step')}</summary>`,
    md``,
    ...items,
    md`</details>`,
    md``
  ]
}

/** The load balancer's name in its ARN (`…:loadbalancer/net/NAME/ID`), else the ARN. */
export function loadBalancerName(arn: string): string {
  return /:loadbalancer\/(?:(?:app|net|gwy)\/)?([^/]+)/.exec(arn)?.[1] ?? arn
}

/** A share in percent, without a binary fraction's tail (100 - 33.3 is 66.7). */
const share = (percent: number): number => Math.round(percent * 1000) / 1000

/**
 * The way a request takes: caller → custom domain → stage → (VPC link →) load balancer, and a canary's
 * branch with its share. Node ids and shapes are ours; every label's value is escaped for mermaid.
 */
export function diagram(apiName: string, result: RunResult): MermaidLine[] {
  const o = result.outputs
  const internal = o[Outputs.Scheme] === 'internal'
  const arn = o[Outputs.LoadBalancerArn]
  const lb = arn ? loadBalancerName(arn) : '(not found)'
  const lines: MermaidLine[] = [mermaid`flowchart LR`, mermaid`caller(["caller"])`]
  const domainUrl = o[Outputs.DomainUrl]
  if (domainUrl) lines.push(mermaid`domain["custom domain ${domainUrl}"]`, mermaid`caller --> domain`)
  lines.push(mermaid`stage["REST API ${apiName}, stage ${o[Outputs.Stage] ?? ''}"]`)
  lines.push(domainUrl ? mermaid`domain --> stage` : mermaid`caller --> stage`)
  const canary: Canary | undefined = result.canary
  // node ids are ours, letters only: the escape leaves them as they are
  const next = internal ? 'link' : 'lb'
  lines.push(
    canary ? mermaid`stage -->|"${share(100 - canary.percent)}%"| ${next}` : mermaid`stage --> ${next}`
  )
  if (internal) lines.push(mermaid`link["VPC link ${o[Outputs.VpcLinkId] || '(new)'}"]`, mermaid`link --> lb`)
  lines.push(mermaid`lb["load balancer ${lb}"]`)
  if (canary) lines.push(...canaryLines(canary))
  return lines
}

/** The canary's branch, dotted: its share, its VPC link if any, its load balancer. */
function canaryLines(canary: Canary): MermaidLine[] {
  const next = canary.vpcLinkId ? 'canaryLink' : 'canary'
  return [
    mermaid`stage -.->|"canary ${share(canary.percent)}%"| ${next}`,
    ...(canary.vpcLinkId
      ? [mermaid`canaryLink["VPC link ${canary.vpcLinkId}"]`, mermaid`canaryLink -.-> canary`]
      : []),
    mermaid`canary["load balancer ${loadBalancerName(canary.target)}"]`
  ]
}

/** The failure: the message in a preformatted block, escaped like every other value. */
export function renderFailure(apiName: string, mode: string, message: string): string {
  return joinMarkup(
    [md`### REST gateway "${apiName}": ${mode} failed`, md``, htmlBlock('pre', [html`${message}`]), md``],
    '\n'
  ).text
}
