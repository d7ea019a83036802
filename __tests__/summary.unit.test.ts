/** The job summary read at a glance: the diagram, the table, the plan folded when long, readable markdown. */
import { describe, expect, it } from '@jest/globals'
import type { RunResult } from '../src/report/run.js'
import { escapeHtml, escapeMarkup, escapeMermaid } from '../src/report/safe-text.js'
import { renderSummary } from '../src/report/summary.js'

const LB = 'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/cortex-a/0123456789abcdef'
const NEW_LB =
  'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/cortex-b/fedcba9876543210'
const URL = 'https://a1b2c3d4e5.execute-api.us-west-2.amazonaws.com/prod'

const created = (over: Partial<RunResult> = {}): RunResult => ({
  mode: 'create',
  dryRun: false,
  region: 'us-west-2',
  outcome: 'updated',
  outputs: {
    'invoke-url': URL,
    'api-id': 'a1b2c3d4e5',
    stage: 'prod',
    'vpc-link-id': 'vl1234',
    scheme: 'internal',
    'load-balancer-arn': LB,
    'domain-url': 'https://api.example.com/v1',
    'domain-target': 'd-abc.execute-api.us-west-2.amazonaws.com'
  },
  steps: ['update stage "prod": throttle 100/200 → 50/100'],
  calls: [
    { operation: 'GetRestApis', write: false, attempts: 1, ok: true },
    { operation: 'UpdateStage', write: true, attempts: 1, ok: true }
  ],
  ...over
})

describe('the job summary', () => {
  it('draws caller → custom domain → stage → VPC link → load balancer, with a canary and its share', () => {
    const canary = { target: NEW_LB, percent: 12.5, vpcLinkId: 'vl5678' }
    // the diagram draws `canary`; the table's row shows the text the canary feature sets, `shares`
    const shares = `12.5 % to ${NEW_LB}, 87.5 % to ${LB}`
    expect(renderSummary('gw', created({ canary, shares }))).toBe(
      [
        '### REST gateway "gw": updated',
        '',
        '```mermaid',
        'flowchart LR',
        '  caller(["caller"])',
        '  domain["custom domain https://api.example.com/v1"]',
        '  caller --> domain',
        '  stage["REST API gw, stage prod"]',
        '  domain --> stage',
        '  stage -->|"87.5%"| link',
        '  link["VPC link vl1234"]',
        '  link --> lb',
        '  lb["load balancer cortex-a"]',
        '  stage -.->|"canary 12.5%"| canaryLink',
        '  canaryLink["VPC link vl5678"]',
        '  canaryLink -.-> canary',
        '  canary["load balancer cortex-b"]',
        '```',
        '',
        '<table>',
        '<tr><th align="left">This run</th><td>updated</td></tr>',
        `<tr><th align="left">Invoke URL</th><td><a href="${URL}">${URL}</a></td></tr>`,
        '<tr><th align="left">REST API</th><td><code>a1b2c3d4e5</code> (<a href="https://us-west-2.console.aws.' +
          'amazon.com/apigateway/main/apis/a1b2c3d4e5/resources?api=a1b2c3d4e5&#38;region=us-west-2">AWS console' +
          '</a>)</td></tr>',
        '<tr><th align="left">Stage</th><td><code>prod</code></td></tr>',
        '<tr><th align="left">Region</th><td><code>us-west-2</code></td></tr>',
        '<tr><th align="left">Scheme</th><td><code>internal</code></td></tr>',
        '<tr><th align="left">VPC link</th><td><code>vl1234</code></td></tr>',
        `<tr><th align="left">Load balancer</th><td><code>${LB}</code></td></tr>`,
        `<tr><th align="left">Canary</th><td><code>12.5 % to ${NEW_LB}, 87.5 % to ${LB}</code></td></tr>`,
        '<tr><th align="left">Custom domain</th><td><a href="https://api.example.com/v1">https://api.example.com/v1' +
          '</a></td></tr>',
        '<tr><th align="left">Domain target</th><td><code>d-abc.execute-api.us-west-2.amazonaws.com</code></td></tr>',
        '</table>',
        '',
        '**Changes made:**',
        '',
        '- update stage "prod": throttle 100/200 → 50/100',
        '',
        '<sub>2 AWS calls, 1 write.</sub>',
        ''
      ].join('\n')
    )
  })

  it('draws an internet-facing gateway without a domain or a VPC link, and no canary branch', () => {
    const outputs = { ...created().outputs, scheme: 'internet-facing', 'vpc-link-id': '', 'domain-url': '' }
    const text = renderSummary('gw', created({ outputs }))
    expect(text.slice(text.indexOf('```mermaid'), text.indexOf('```\n') + 3)).toBe(
      [
        '```mermaid',
        'flowchart LR',
        '  caller(["caller"])',
        '  stage["REST API gw, stage prod"]',
        '  caller --> stage',
        '  stage --> lb',
        '  lb["load balancer cortex-a"]',
        '```'
      ].join('\n')
    )
  })

  it('folds a plan of more than 8 steps under its count, and not one of 8', () => {
    const steps = (n: number): string[] => Array.from({ length: n }, (_, i) => `put method GET /p${i}`)
    const nine = renderSummary('gw', created({ steps: steps(9), dryRun: true, outcome: 'would-update' }))
    expect(nine).toContain(
      [
        '<details><summary>Plan (nothing was changed): 9 steps</summary>',
        '',
        ...steps(9).map(s => `- ${s}`),
        '',
        '</details>',
        ''
      ].join('\n')
    )
    const eight = renderSummary('gw', created({ steps: steps(8) }))
    expect(eight).not.toContain('<details>')
    expect(eight).toContain(['**Changes made:**', '', ...steps(8).map(s => `- ${s}`), ''].join('\n'))
  })

  it('says "would delete" in a dry-run delete\'s rows, with the custom domain its plan removes', () => {
    const result: RunResult = {
      mode: 'delete',
      dryRun: true,
      region: 'us-west-2',
      outcome: 'would-delete',
      outputs: { 'api-id': 'a1b2c3d4e5', stage: 'dev\nprod', 'vpc-link-id': 'vl1234' },
      domains: ['api.example.com'],
      steps: ['delete custom domain api.example.com', 'delete REST API a1b2c3d4e5'],
      calls: []
    }
    expect(renderSummary('gw', result)).toBe(
      [
        '### REST gateway "gw": dry run: would be deleted',
        '',
        '<table>',
        '<tr><th align="left">This run</th><td>dry run: would be deleted</td></tr>',
        '<tr><th align="left">Would delete REST API</th><td><code>a1b2c3d4e5</code></td></tr>',
        '<tr><th align="left">Would delete stage</th><td><code>dev, prod</code></td></tr>',
        '<tr><th align="left">Would delete VPC link</th><td><code>vl1234</code></td></tr>',
        '<tr><th align="left">Would delete custom domain</th><td><code>api.example.com</code></td></tr>',
        '<tr><th align="left">Region</th><td><code>us-west-2</code></td></tr>',
        '</table>',
        '',
        '**Plan (nothing was changed):**',
        '',
        '- delete custom domain api.example.com',
        '- delete REST API a1b2c3d4e5',
        '',
        '<sub>0 AWS calls, 0 writes.</sub>',
        ''
      ].join('\n')
    )
  })

  it("links only a URL of AWS's kind: another is shown as code", () => {
    const outputs = { ...created().outputs, 'invoke-url': 'javascript:alert(1)//x' }
    expect(renderSummary('gw', created({ outputs }))).toContain(
      '<tr><th align="left">Invoke URL</th><td><code>javascript:alert(1)//x</code></td></tr>'
    )
  })
})

describe('escaping for where a value lands', () => {
  it.each([
    // [value, markdown, HTML, mermaid]
    [URL, 'https&#58;//a1b2c3d4e5.execute-api.us-west-2.amazonaws.com/prod', URL, URL],
    [LB, LB, LB, LB],
    [
      'update stage "prod": throttle 100/200 → 50/100',
      'update stage "prod": throttle 100/200 → 50/100',
      'update stage &#34;prod&#34;: throttle 100/200 → 50/100',
      'update stage #34;prod#34;: throttle 100/200 #8594; 50/100'
    ],
    ['/{proxy+} HTTP_PROXY', '/{proxy+} HTTP_PROXY', '/{proxy+} HTTP_PROXY', '/#123;proxy+#125; HTTP_PROXY'],
    [
      '[x](y) *b* _i_ `c` ~s~ #1 @me $m$ a|b \\',
      '&#91;x&#93;(y) &#42;b&#42; &#95;i&#95; &#96;c&#96; &#126;s&#126; ' +
        '&#35;1 &#64;me &#36;m&#36; a&#124;b &#92;',
      '&#91;x&#93;(y) &#42;b&#42; _i_ &#96;c&#96; &#126;s&#126; &#35;1 ' +
        '&#64;me &#36;m&#36; a&#124;b &#92;',
      '#91;x#93;#40;y#41; #42;b#42; _i_ #96;c#96; #126;s#126; #35;1 #64;me ' + '#36;m#36; a#124;b #92;'
    ],
    [
      '<b a="1">&amp;',
      '&#60;b a="1"&#62;&#38;amp;',
      '&#60;b a=&#34;1&#34;&#62;&#38;amp;',
      '#60;b a=#34;1#34;#62;#38;amp#59;'
    ],
    ['- item', '&#45; item', '- item', '- item'],
    ['12. x', '&#49;&#50;. x', '12. x', '12. x'],
    ['  code', '&#32; code', '  code', '  code'],
    ['www.example.com', 'www&#46;example.com', 'www.example.com', 'www.example.com'],
    ['a\nb', 'a&#92;nb', 'a&#92;nb', 'a#92;nb'],
    [
      '"]; A-->B["x',
      '"&#93;; A--&#62;B&#91;"x',
      '&#34;&#93;; A--&#62;B&#91;&#34;x',
      '#34;#93;#59; A--#62;B#91;#34;x'
    ]
  ])('%j', (value, markdown, html, mermaid) => {
    expect([escapeMarkup(value), escapeHtml(value), escapeMermaid(value)]).toEqual([markdown, html, mermaid])
  })
})
