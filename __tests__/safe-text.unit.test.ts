/** The sinks: whatever a message holds, it stays one line, runs no workflow command and renders as text. */
import { describe, expect, it } from '@jest/globals'
import { memoryLog, safeLog } from '../src/report/log.js'
import { escapeMarkup, jsonLine, logLine, md, oneLine, outputValue } from '../src/report/safe-text.js'
import { renderFailure, renderSummary } from '../src/report/summary.js'
import type { RunResult } from '../src/engine/engine.js'
import { expectInertSummary } from './support/summary.js'

/** Values a hostile or unlucky user could pass, past any input check. */
const HOSTILE = [
  'gw\n::error::INJ',
  'gw\r\n::set-output name=api-id::evil',
  '::add-mask::secret',
  '  ::stop-commands::tok',
  'x ##[set-output name=api-id;]evil',
  'gw\u2028::warning::INJ',
  'gw\u001b[31mred',
  '```\n# Heading\n![p](http://attacker.invalid/p.png)\n```',
  '<img src=x onerror=alert(1)> | cell | [link](http://attacker.invalid)',
  'prod-\u202egnp.exe',
  'a\u2066b\u2069c\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u2067\u2068',
  'tag\u{e0041}\ufeff\u200b',
  'c1\u0085\u009b31m\u0080'
]

/** A character that hides or reorders text: a format character (Cf), the bidi controls among them. */
const FORMAT = /\p{Cf}/u
/** A bidi control written as an HTML character reference, which renders as the control itself. */
const BIDI_REFERENCE = /&#(1564|8206|8207|8234|8235|8236|8237|8238|8294|8295|8296|8297);/

/** A line the runner would read as a workflow command. */
const isCommand = (line: string): boolean => /^\s*::/.test(line) || line.includes('##[')

describe('log lines', () => {
  it.each(HOSTILE)('%j stays one line and never a command, alone or after text of ours', value => {
    for (const message of [value, `REST API "${value}": none yet`]) {
      const line = logLine(message)
      expect(line.split(/[\n\r\u2028\u2029]/)).toHaveLength(1)
      expect(isCommand(line)).toBe(false)
      expect(line).not.toContain('\u001b')
    }
  })

  it('writes control characters out so the reader still sees them', () => {
    expect(oneLine('a\nb\u001bc')).toBe('a\\nb\\u001bc')
    expect(logLine('::error::x')).toBe('> ::error::x')
  })

  it('writes format characters out, so no value, from AWS too, reorders or hides a line (issue 20, hole 10)', () => {
    expect(oneLine('prod-\u202egnp.exe')).toBe('prod-\\u202egnp.exe')
    expect(logLine('a\u2066b\u061c\u{e0041}')).toBe('a\\u2066b\\u061c\\u{e0041}')
    for (const v of HOSTILE) {
      expect(logLine(v)).not.toMatch(FORMAT)
      expect(logLine(v)).not.toMatch(/[\u0080-\u009f]/)
      expect(escapeMarkup(v)).not.toMatch(BIDI_REFERENCE)
      expect(jsonLine(v)).not.toMatch(FORMAT)
      expect(JSON.parse(jsonLine(v))).toBe(v)
    }
  })

  it('JSON lines hold no raw C1 control or line separator either (NEL, CSI, U+2028), only their escapes', () => {
    const v = 'a\u009b2Jb\u0085c\u2028d\u2029e\u007f'
    const line = jsonLine({ v })
    expect(line).not.toMatch(/[\u007f-\u009f\u2028\u2029]/)
    expect(JSON.parse(line)).toEqual({ v })
  })

  it('is idempotent: a line already made safe is not changed again', () => {
    for (const v of HOSTILE) expect(logLine(logLine(v))).toBe(logLine(v))
  })

  it('safeLog applies to every kind of message and to group names', async () => {
    const log = memoryLog()
    const safe = safeLog(log)
    for (const v of HOSTILE) {
      safe.info(v)
      safe.warning(v)
      safe.notice(v)
      safe.debug(v)
      await safe.group(v, async () => undefined)
    }
    for (const line of log.lines) {
      expect(line.split('\n')).toHaveLength(1)
      expect(isCommand(line.replace(/^(debug|warning|notice|group): /, ''))).toBe(false)
    }
  })
})

describe('JSON lines (the command line with --json)', () => {
  it.each(HOSTILE)('%j: one line, never a command, the same data when parsed', value => {
    const line = jsonLine({ error: value, plan: [value] })
    expect(line.split('\n')).toHaveLength(1)
    expect(isCommand(line)).toBe(false)
    expect(JSON.parse(line)).toEqual({ error: value, plan: [value] })
  })
})

describe('outputs', () => {
  it('keep their lines (the plan is one step a line) but no line is a command', () => {
    const value = outputValue(['create REST API "a"', '::set-output name=x::y', 'ok'].join('\n'))
    expect(value.split('\n')).toHaveLength(3)
    for (const line of value.split('\n')) expect(isCommand(line)).toBe(false)
  })
})

describe('job summary', () => {
  const result = (value: string): RunResult => ({
    mode: 'create',
    dryRun: false,
    region: 'us-west-2',
    outcome: 'created',
    outputs: {
      'api-id': value,
      stage: value,
      'invoke-url': value,
      'vpc-link-id': value,
      'load-balancer-arn': value
    },
    steps: [`create REGIONAL REST API "${value}"`, value],
    shares: value,
    calls: []
  })

  it.each(HOSTILE)('shows %j as text: no markdown, no HTML, no new line of its own', value => {
    for (const out of [
      renderSummary(value, result(value)),
      renderFailure(value, 'create', `Input 'api-name': ${value}`)
    ]) {
      const rest = expectInertSummary(out, 'attacker.invalid')
      expect(out).not.toMatch(FORMAT)
      expect(out).not.toMatch(BIDI_REFERENCE)
      for (const line of rest) {
        expect(isCommand(line)).toBe(false)
        // every line starts with markup of ours
        expect(line).toMatch(/^(|### REST gateway "|<table>|<\/table>|<tr><th|\*\*|- |<sub>|<pre>)/)
      }
    }
  })

  it('writes one table row a line, with — where there is nothing to show', () => {
    const deleted: RunResult = {
      ...result('x'),
      mode: 'delete',
      outcome: 'deleted',
      outputs: { 'api-id': 'abc123', stage: 'dev', 'invoke-url': '', 'vpc-link-id': '' },
      steps: ['delete REST API abc123']
    }
    expect(renderSummary('pr-10', deleted)).toBe(
      [
        '### REST gateway "pr-10": deleted',
        '',
        '<table>',
        '<tr><th align="left">This run</th><td>deleted</td></tr>',
        '<tr><th align="left">Deleted REST API</th><td><code>abc123</code></td></tr>',
        '<tr><th align="left">Deleted stage</th><td><code>dev</code></td></tr>',
        '<tr><th align="left">Deleted VPC link</th><td>—</td></tr>',
        '<tr><th align="left">Deleted custom domain</th><td>—</td></tr>',
        '<tr><th align="left">Region</th><td><code>us-west-2</code></td></tr>',
        '</table>',
        '',
        '**Changes made:**',
        '',
        '- delete REST API abc123',
        '',
        '<sub>0 AWS calls, 0 writes.</sub>',
        ''
      ].join('\n')
    )
  })

  it('escapes every value it is given, and keeps our own markup', () => {
    expect(md`<b>${'<i>'}</b>`.text).toBe('<b>&#60;i&#62;</b>')
    expect(escapeMarkup('a-b c,d')).toBe('a-b c,d')
    expect(escapeMarkup('[x](y)')).toBe('&#91;x&#93;(y)')
  })
})
