/**
 * The safe-text functions one by one, with each expected value written out: what a message may
 * echo of a value, which characters no input may hold, how a character is named and escaped.
 */
import { describe, expect, it } from '@jest/globals'
import {
  codePoint,
  escapeMarkup,
  forbiddenInInput,
  hasControl,
  joinMarkup,
  jsonLine,
  logLine,
  md,
  Markup,
  oneLine,
  outputValue,
  quoted,
  redactUrl,
  withoutQuery
} from '../src/report/safe-text.js'

describe('hasControl', () => {
  it.each([
    ['\u0000', true],
    ['a\u0008', true],
    ['\n', true],
    ['\u001f', true],
    ['\u007f', true],
    ['\u0080', true],
    ['\u0085', true],
    ['\u009f', true],
    ['\u2028', true],
    ['\u2029', true],
    ['a\tb', false],
    ['\u00a0', false],
    ['\u202e', false],
    ['plain text', false],
    ['', false]
  ])('%j: %s', (text, expected) => {
    expect(hasControl(text)).toBe(expected)
  })

  it('gives the same answer when asked twice (no regular expression state kept between calls)', () => {
    expect(hasControl('a\nb')).toBe(true)
    expect(hasControl('a\nb')).toBe(true)
  })
})

describe('codePoint', () => {
  it.each([
    ['\u202e', 'U+202E'],
    ['\u0000', 'U+0000'],
    ['\u0085', 'U+0085'],
    ['a', 'U+0061'],
    ['\u{e0041}', 'U+E0041']
  ])('%j is %s', (c, expected) => {
    expect(codePoint(c)).toBe(expected)
  })
})

describe('forbiddenInInput', () => {
  it.each([
    ['\u0000', '\u0000'],
    ['a\u0008b', '\u0008'],
    ['\u000b', '\u000b'],
    ['\u000c', '\u000c'],
    ['\u000e', '\u000e'],
    ['\u001f', '\u001f'],
    ['\u007f', '\u007f'],
    ['C1 \u0085 NEL', '\u0085'],
    ['\u009f', '\u009f'],
    ['\u2028', '\u2028'],
    ['\u2029', '\u2029'],
    ['prod-\u202egnp', '\u202e'],
    ['zero\u200bwidth', '\u200b'],
    ['tag\u{e0041}', '\u{e0041}'],
    ['first \u0001 then \u202e', '\u0001']
  ])('finds %j in an input', (text, expected) => {
    expect(forbiddenInInput(text)).toBe(expected)
  })

  it('allows the tab and the line breaks of an input of several lines, and any printable text', () => {
    expect(forbiddenInInput('a\tb\nc\r\nd')).toBeUndefined()
    expect(forbiddenInInput('café ünïcode 😀 \u00a0')).toBeUndefined()
    expect(forbiddenInInput('')).toBeUndefined()
  })
})

describe('oneLine', () => {
  it('names CR and LF, and writes every other control and format character as \\u', () => {
    expect(oneLine('a\r\nb')).toBe('a\\r\\nb')
    expect(oneLine('\u0000\u0008\u000b\u001f\u007f\u0080\u009f')).toBe(
      '\\u0000\\u0008\\u000b\\u001f\\u007f\\u0080\\u009f'
    )
    expect(oneLine('\u2028\u2029\u200b\ufeff')).toBe('\\u2028\\u2029\\u200b\\ufeff')
    expect(oneLine('tag\u{e0041}')).toBe('tag\\u{e0041}')
  })

  it('keeps the tab, printable text and characters beyond U+FFFF that are not format characters', () => {
    expect(oneLine('a\tb ü 😀')).toBe('a\tb ü 😀')
  })
})

describe('redactUrl', () => {
  it.each([
    // no scheme, no '@' and no '/': not a URL, echoed whole
    ['dev#1', 'dev#1'],
    ['stage?x', 'stage?x'],
    ['plain', 'plain'],
    // a URL: credentials (up to the last '@'), query and fragment never echoed
    ['https://user:p@ss@host.example/path?token=1#frag', 'https://***@host.example/path?***'],
    ['https://host.example/path#frag', 'https://host.example/path#***'],
    ['HTTP://u:pw@host.example', 'HTTP://***@host.example'],
    ['git+ssh://u:p/w@host.example/r', 'git+ssh://***@host.example/r'],
    ['user:secret@host.example', '***@host.example'],
    ['host.example/p?q=1', 'host.example/p?***'],
    ['a\nb@host.example', '***@host.example'],
    ['https://host.example/a?x\ny', 'https://host.example/a?***']
  ])('%j is shown as %j', (value, expected) => {
    expect(redactUrl(value)).toBe(expected)
  })
})

describe('withoutQuery and quoted', () => {
  it('leaves the query and fragment out, keeping the mark that starts them', () => {
    expect(withoutQuery('https://host.example/ready?key=1')).toBe('https://host.example/ready?***')
    expect(withoutQuery('https://host.example/ready#a?b')).toBe('https://host.example/ready#***')
    expect(withoutQuery('https://host.example/ready')).toBe('https://host.example/ready')
  })

  it('quotes a value with its secrets left out', () => {
    expect(quoted('dev')).toBe('"dev"')
    expect(quoted('https://u:p@host.example/x?t=1')).toBe('"https://***@host.example/x?***"')
  })
})

describe('logLine', () => {
  it('writes a legacy command mark anywhere in the line so the runner does not read it', () => {
    expect(logLine('x ##[error]y ##[warning]z')).toBe('x #\\#[error]y #\\#[warning]z')
  })

  it('puts "> " before a line that would start with "::", blanks or not', () => {
    expect(logLine('::error::x')).toBe('> ::error::x')
    expect(logLine(' \t::warning::x')).toBe('>  \t::warning::x')
    expect(logLine('a ::error::x')).toBe('a ::error::x')
    expect(logLine(':single')).toBe(':single')
  })
})

describe('jsonLine', () => {
  it('writes # as \\u0023 where it would start a command, and nowhere else', () => {
    expect(jsonLine({ a: 'x##[error]' })).toBe('{"a":"x#\\u0023[error]"}')
    expect(jsonLine({ a: '#1 ## [' })).toBe('{"a":"#1 ## ["}')
  })

  it('writes a C1 control, DEL, a line separator or a format character as its escape', () => {
    expect(jsonLine(['\u0085\u007f\u2028\u202e'])).toBe('["\\u0085\\u007f\\u2028\\u202e"]')
    expect(jsonLine('tag\u{e0041}')).toBe('"tag\\udb40\\udc41"')
  })
})

describe('outputValue', () => {
  it('makes each line a log line and keeps empty lines empty', () => {
    expect(outputValue('a\n\n::error::x\n')).toBe('a\n\n> ::error::x\n')
  })
})

describe('escapeMarkup, md and joinMarkup', () => {
  it('writes what markdown or HTML reads as markup as a reference, and keeps the rest as it is', () => {
    expect(escapeMarkup('Az09 ,-')).toBe('Az09 ,-')
    expect(escapeMarkup('<a>&#|*_`')).toBe('&#60;a&#62;&#38;&#35;&#124;&#42;&#95;&#96;')
    expect(escapeMarkup('é😀')).toBe('é😀')
    expect(escapeMarkup('a\nb')).toBe('a&#92;nb')
  })

  it('keeps the template, escapes values, shows nothing for undefined and joins lists of markup', () => {
    const inner = new Markup('<b>x</b>')
    expect(md`<td>${'<i>'}</td>${undefined}|${3}|${inner}|${[inner, new Markup('y')]}`.text).toBe(
      '<td>&#60;i&#62;</td>|3|<b>x</b>|<b>x</b>y'
    )
    expect(md`only text`.toString()).toBe('only text')
  })

  it('joins markup with a separator of its own', () => {
    expect(joinMarkup([new Markup('a'), new Markup('<b>')], '<br>').text).toBe('a<br><b>')
    expect(joinMarkup([], ', ').text).toBe('')
  })
})
