// The REST settings' inputs (features/settings/inputs*.ts, keys/inputs.ts, cors/inputs.ts), read through the
// real input reading (parseConfig): each good value and what it reads as, each bad one refused with an error
// naming the input and saying what is wrong, the defaults, separators, limits at their exact edge, and the
// summary line each setting gives. Expected values are written out from the SPEC.
import { describe, expect, it } from '@jest/globals'
import { InputError } from '../src/base/errors.js'
import type { CreateConfig } from '../src/config/inputs.js'
import { describeSettings, needsCloudWatchRole } from '../src/features/settings/plan.js'
import type { Settings } from '../src/features/settings/inputs.js'
import { configFrom } from './support/inputs.js'

const NLB = 'a9eaf69fd125947abb1065f62de59047-81cdebc0275f7d96.elb.us-west-2.amazonaws.com'
const CERT = 'arn:aws:acm:us-west-2:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666'
const VPCE = 'vpce-0123456789abcdef0'
const LOG_GROUP = 'arn:aws:logs:us-west-2:123456789012:log-group:/aws/api-gateway/my_gw.1#a'
const FIREHOSE = 'arn:aws:firehose:us-west-2:123456789012:deliverystream/amazon-apigateway-logs.1'
const WEB_ACL =
  'arn:aws:wafv2:us-west-2:123456789012:regional/webacl/my-acl_1/0f0e0d0c-1111-2222-3333-444455556666'

const settings = (inputs: Record<string, string>): Settings =>
  (configFrom({ 'load-balancer': NLB, ...inputs }) as CreateConfig).settings
const summary = (inputs: Record<string, string>, endpointType = 'REGIONAL') =>
  describeSettings(settings(inputs), endpointType)

function refusal(inputs: Record<string, string>): { input: string; message: string } {
  try {
    configFrom({ 'load-balancer': NLB, ...inputs })
  } catch (error) {
    if (error instanceof InputError) return { input: error.input, message: error.message }
    throw error
  }
  throw new Error('expected an InputError')
}
/** The refusal of one input: it names that input, and says `message`. */
const refused = (input: string, message: string) => ({ input, message: `Input '${input}': ${message}` })

describe('throttle and api-key-throttle: RATE/BURST', () => {
  it.each([
    ['100/200', { rate: 100, burst: 200 }],
    [' 1.5 / 2 ', { rate: 1.5, burst: 2 }],
    ['0.1/1', { rate: 0.1, burst: 1 }],
    ['1.25/2', { rate: 1.25, burst: 2 }]
  ])('%j reads as %j', (value, want) => {
    expect(settings({ throttle: value }).throttle).toEqual(want)
    expect(settings({ 'api-keys': 'a', 'api-key-throttle': value }).apiKeyThrottle).toEqual(want)
  })

  it('is off when not given', () => {
    expect(settings({})).toMatchObject({ throttle: undefined, apiKeyThrottle: undefined })
  })

  it.each(['0/10', '1/0', '100', '-1/2', '1/2.5', 'a/b', '1./2', '/2'])('refuses %j', value => {
    const says = `"${value}" is not RATE/BURST: requests per second and a burst, e.g. 100/200`
    expect(refusal({ throttle: value })).toEqual(refused('throttle', says))
    expect(refusal({ 'api-keys': 'a', 'api-key-throttle': value })).toEqual(refused('api-key-throttle', says))
  })

  it('reads in the summary', () => {
    expect(summary({ throttle: '100/200' })).toEqual(['throttle 100/200'])
  })
})

describe('api-keys, api-key-quota, api-key-throttle', () => {
  it.each([
    ['alpha, beta\ngamma', ['alpha', 'beta', 'gamma']],
    ['a,,a, b c ', ['a', 'b c']],
    ['k'.repeat(128), ['k'.repeat(128)]],
    ['A-z_0.9 x', ['A-z_0.9 x']]
  ])('api-keys %j reads as %j', (value, want) => {
    expect(settings({ 'api-keys': value }).apiKeys).toEqual(want)
  })

  it('takes 100 keys, and refuses 101', () => {
    const keys = (n: number) => Array.from({ length: n }, (_, i) => `key${i}`).join(',')
    expect(settings({ 'api-keys': keys(100) }).apiKeys).toHaveLength(100)
    expect(refusal({ 'api-keys': keys(101) })).toEqual(refused('api-keys', 'at most 100 keys'))
  })

  it.each(['bad/name', 'k'.repeat(129), 'a;b'])('refuses the key name %j', name => {
    expect(refusal({ 'api-keys': `ok, ${name}` })).toEqual(
      refused(
        'api-keys',
        `"${name}" is not an API key name: letters, digits, spaces and _ . - only, at most 128 characters`
      )
    )
  })

  it.each([
    ['1000/month', { limit: 1000, period: 'MONTH' }],
    [' 5 / Day ', { limit: 5, period: 'DAY' }],
    ['1/WEEK', { limit: 1, period: 'WEEK' }]
  ])('api-key-quota %j reads as %j', (value, want) => {
    expect(settings({ 'api-keys': 'a', 'api-key-quota': value }).apiKeyQuota).toEqual(want)
  })

  it.each(['0/day', '1.5/day', '100/year', '100', 'day', '-1/day', '100/days', 'x100/day'])(
    'refuses the quota %j',
    value => {
      expect(refusal({ 'api-keys': 'a', 'api-key-quota': value })).toEqual(
        refused('api-key-quota', `"${value}" is not N/day, N/week or N/month, e.g. 10000/month`)
      )
    }
  )

  it.each([
    ['api-key-quota', '100/day'],
    ['api-key-throttle', '10/20']
  ])('%s needs api-keys', (name, value) => {
    expect(refusal({ [name]: value })).toEqual(refused(name, "needs 'api-keys': the keys it limits"))
    expect(refusal({ 'api-keys': ' , ', [name]: value })).toEqual(
      refused(name, "needs 'api-keys': the keys it limits")
    )
  })

  it('are off when not given', () => {
    expect(settings({})).toMatchObject({ apiKeys: [], apiKeyQuota: undefined, apiKeyThrottle: undefined })
  })

  it('read in the summary by name, with the quota and the throttle a key', () => {
    expect(summary({ 'api-keys': 'a, b' })).toEqual(['API keys a, b'])
    expect(summary({ 'api-keys': 'a', 'api-key-quota': '9/WEEK' })).toEqual(['API keys a, quota 9/week'])
    expect(summary({ 'api-keys': 'a', 'api-key-throttle': '1/2' })).toEqual([
      'API keys a, throttle 1/2 a key'
    ])
  })
})

describe('binary-media-types', () => {
  it.each([
    ['image/png, Application/Octet-Stream\n*/*', ['image/png', 'application/octet-stream', '*/*']],
    ['image/png,image/png', ['image/png']],
    ['application/vnd.a+json, a/b!#$&^_.+*-', ['application/vnd.a+json', 'a/b!#$&^_.+*-']],
    ['', []]
  ])('%j reads as %j', (value, want) => {
    expect(settings({ 'binary-media-types': value }).binaryMediaTypes).toEqual(want)
  })

  it.each(['images', 'image/', '/png', 'image/png/x', 'image /png', '-a/b'])('refuses %j', type => {
    expect(refusal({ 'binary-media-types': `image/png, ${type}` })).toEqual(
      refused('binary-media-types', `"${type}" is not a media type such as image/png or */*`)
    )
  })

  it('takes what fits in the settings tag of 256 characters, and refuses one character more', () => {
    // the tag: "policy no-execute-api binary:<type>", 29 characters and the type
    const type = (n: number) => `a/${'b'.repeat(n - 2)}`
    expect(settings({ 'binary-media-types': type(227) }).binaryMediaTypes).toEqual([type(227)])
    expect(refusal({ 'binary-media-types': type(228) })).toEqual(
      refused(
        'binary-media-types',
        'names more media types than the action can record in a tag (256 characters): use fewer, or */*'
      )
    )
  })

  it('reads in the summary', () => {
    expect(summary({ 'binary-media-types': 'image/png, */*' })).toEqual(['binary media types image/png, */*'])
  })
})

describe('integration-timeout', () => {
  const DOMAIN = { 'domain-name': 'api.example.com', 'certificate-arn': CERT }
  it.each<[Record<string, string>, number]>([
    [{}, 29000],
    [{ 'integration-timeout': '50' }, 50],
    [{ 'integration-timeout': '300000' }, 300000],
    [{ 'integration-timeout': '900000', 'response-streaming': 'true' }, 900000],
    [{ 'integration-timeout': '29000', 'endpoint-type': 'EDGE' }, 29000],
    [{ 'integration-timeout': '300000', 'endpoint-type': 'PRIVATE', 'vpc-endpoint-ids': VPCE }, 300000]
  ])('%j reads as %d ms', (inputs, ms) => {
    expect(settings(inputs).integrationTimeoutMs).toBe(ms)
  })

  const regional = 'must be a whole number of milliseconds from 50 to 300000 (up to 900000 with streaming)'
  it.each<[Record<string, string>, string]>([
    [{ 'integration-timeout': '49' }, `${regional}, got "49"`],
    [{ 'integration-timeout': '300001' }, `${regional}, got "300001"`],
    [{ 'integration-timeout': '1.5' }, `${regional}, got "1.5"`],
    [{ 'integration-timeout': '30s' }, `${regional}, got "30s"`],
    [{ 'integration-timeout': '-100' }, `${regional}, got "-100"`],
    [
      { 'integration-timeout': '900001', 'response-streaming': 'TRUE' },
      'must be a whole number of milliseconds from 50 to 900000, got "900001"'
    ],
    [
      { 'integration-timeout': '29001', 'endpoint-type': 'EDGE' },
      'must be a whole number of milliseconds from 50 to 29000 for an EDGE API (more only for REGIONAL or PRIVATE), ' +
        'got "29001"'
    ],
    [
      { 'integration-timeout': '29001', 'endpoint-type': 'EDGE', 'response-streaming': 'true', ...DOMAIN },
      'must be a whole number of milliseconds from 50 to 29000 for an EDGE API (more only for REGIONAL or PRIVATE), ' +
        'got "29001"'
    ]
  ])('refuses %j', (inputs, message) => {
    expect(refusal(inputs)).toEqual(refused('integration-timeout', message))
  })

  it('reads in the summary only when not the default', () => {
    expect(summary({ 'integration-timeout': '30000' })).toEqual(['integration timeout 30000 ms'])
    expect(summary({ 'integration-timeout': '29000' })).toEqual([])
  })
})

describe('access-log-destination and access-log-format', () => {
  it.each([
    [LOG_GROUP, LOG_GROUP],
    [`${LOG_GROUP}:*`, LOG_GROUP],
    [FIREHOSE, FIREHOSE]
  ])('%s reads as %s, with the default format (a JSON line with the request id)', (given, arn) => {
    const log = settings({ 'access-log-destination': given }).accessLog
    expect(log?.destinationArn).toBe(arn)
    expect(JSON.parse(log!.format)).toMatchObject({ requestId: '$context.requestId' })
  })

  it('takes a format on several lines as one line, with the request id or the extended one', () => {
    const log = (format: string) =>
      settings({ 'access-log-destination': LOG_GROUP, 'access-log-format': format })
    expect(log('$context.requestId\n   $context.status \n$context.ip').accessLog).toEqual({
      destinationArn: LOG_GROUP,
      format: '$context.requestId $context.status $context.ip'
    })
    expect(log('x $context.extendedRequestId').accessLog?.format).toBe('x $context.extendedRequestId')
  })

  it.each<[Record<string, string>, string, string]>([
    [
      { 'access-log-format': '$context.requestId' },
      'access-log-format',
      "needs 'access-log-destination': where the lines go"
    ],
    [
      { 'access-log-destination': 'arn:aws:s3:::bucket' },
      'access-log-destination',
      '"arn:aws:s3:::bucket" is neither a CloudWatch Logs log group ARN (arn:aws:logs:REGION:ACCOUNT:log-group:NAME) ' +
        'nor a Firehose stream named amazon-apigateway-…'
    ],
    [
      // ':*' is taken off only at the end, as a log group's ARN may end
      { 'access-log-destination': 'arn:aws:logs:us-west-2:123456789012:log-group:a:*b' },
      'access-log-destination',
      '"arn:aws:logs:us-west-2:123456789012:log-group:a:*b" is neither a CloudWatch Logs log group ARN ' +
        '(arn:aws:logs:REGION:ACCOUNT:log-group:NAME) nor a Firehose stream named amazon-apigateway-…'
    ],
    [
      { 'access-log-destination': 'arn:aws:firehose:us-west-2:123456789012:deliverystream/other' },
      'access-log-destination',
      '"arn:aws:firehose:us-west-2:123456789012:deliverystream/other" is neither a CloudWatch Logs log group ARN ' +
        '(arn:aws:logs:REGION:ACCOUNT:log-group:NAME) nor a Firehose stream named amazon-apigateway-…'
    ],
    [
      { 'access-log-destination': 'arn:aws:logs:eu-west-1:123456789012:log-group:x' },
      'access-log-destination',
      'is in eu-west-1, but the API is in us-west-2: use a log group or stream in us-west-2'
    ],
    [
      { 'access-log-destination': LOG_GROUP, 'access-log-format': '$context.ip' },
      'access-log-format',
      'must include $context.requestId (or $context.extendedRequestId): AWS refuses a format without it'
    ],
    [
      { 'access-log-destination': LOG_GROUP, 'access-log-format': '$context.requestId\r$context.ip' },
      'access-log-format',
      'must not hold control characters'
    ]
  ])('refuses %j', (inputs, input, message) => {
    expect(refusal(inputs)).toEqual(refused(input, message))
  })

  it('is off when not given, and reads in the summary', () => {
    expect(settings({}).accessLog).toBeUndefined()
    expect(summary({ 'access-log-destination': FIREHOSE })).toEqual([`access logs to ${FIREHOSE}`])
  })

  it("needs the account's CloudWatch Logs role for a log group, not for a Firehose stream", () => {
    expect(needsCloudWatchRole(settings({ 'access-log-destination': LOG_GROUP }))).toBe(true)
    expect(needsCloudWatchRole(settings({ 'access-log-destination': FIREHOSE }))).toBe(false)
    expect(needsCloudWatchRole(settings({}))).toBe(false)
  })
})

describe('logging-level', () => {
  it.each([
    ['', 'OFF'],
    ['off', 'OFF'],
    ['Error', 'ERROR'],
    [' info ', 'INFO']
  ])('%j reads as %s', (value, want) => {
    expect(settings({ 'logging-level': value }).loggingLevel).toBe(want)
  })

  it('refuses another level, naming the three', () => {
    expect(refusal({ 'logging-level': 'debug' })).toEqual(
      refused('logging-level', `"DEBUG" is not one of 'OFF', 'ERROR', 'INFO'`)
    )
  })

  it("reads in the summary, and needs the account's CloudWatch Logs role unless OFF", () => {
    expect(summary({ 'logging-level': 'info' })).toEqual(['execution logging INFO'])
    expect(summary({ 'logging-level': 'off' })).toEqual([])
    expect(needsCloudWatchRole(settings({ 'logging-level': 'ERROR' }))).toBe(true)
    expect(needsCloudWatchRole(settings({ 'logging-level': 'OFF' }))).toBe(false)
  })
})

describe('metrics and tracing', () => {
  it.each([
    ['metrics', 'detailed metrics'],
    ['tracing', 'X-Ray tracing']
  ])('%s is off by default, on with true, and reads as %j in the summary', (name, line) => {
    expect(settings({})[name as 'metrics']).toBe(false)
    expect(settings({ [name]: 'TRUE' })[name as 'metrics']).toBe(true)
    expect(settings({ [name]: 'false' })[name as 'metrics']).toBe(false)
    expect(summary({ [name]: 'true' })).toEqual([line])
    expect(summary({ [name]: 'false' })).toEqual([])
    expect(refusal({ [name]: 'on' })).toEqual(refused(name, `"on" is not a boolean: use 'true' or 'false'`))
  })
})

describe('resource-policy', () => {
  it.each([
    ['{"Statement": {"Effect": "Allow"}}', { Version: undefined, Statement: [{ Effect: 'Allow' }] }],
    [
      '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}, {"Effect": "Deny"}]}',
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow' }, { Effect: 'Deny' }] }
    ],
    ['{"Version": 2012, "Statement": [{}]}', { Version: undefined, Statement: [{}] }]
  ])('%s reads as %j', (text, want) => {
    expect(settings({ 'resource-policy': text }).resourcePolicy).toEqual(want)
  })

  it("is not valid JSON: says so, with the parser's reason", () => {
    const { input, message } = refusal({ 'resource-policy': '{"Statement": [' })
    expect(input).toBe('resource-policy')
    expect(message).toMatch(/^Input 'resource-policy': is not valid JSON \(.+\)$/)
  })

  it.each([
    '{}',
    '[]',
    '"Statement"',
    'null',
    '7',
    '{"Statement": []}',
    '{"Statement": null}',
    '[{"Statement": {}}]'
  ])('refuses %s: not a policy document', text => {
    expect(refusal({ 'resource-policy': text })).toEqual(
      refused('resource-policy', 'must be a policy document: an object with a "Statement"')
    )
  })

  it.each([
    '{"Statement": "Allow"}',
    '{"Statement": ["Allow"]}',
    '{"Statement": [{}, null]}',
    '{"Statement": [[]]}'
  ])('refuses %s: its statements are not objects', text => {
    expect(refusal({ 'resource-policy': text })).toEqual(
      refused('resource-policy', 'must hold statements that are objects ({"Effect": …})')
    )
  })

  it('is none when not given, and reads in the summary', () => {
    expect(settings({}).resourcePolicy).toBeUndefined()
    expect(summary({ 'resource-policy': '{"Statement": {}}' })).toEqual(['resource policy'])
  })
})

describe('allowed-source-ips', () => {
  it.each([
    ['10.0.0.0/8, 2001:db8::/32\n192.168.1.1/32', ['10.0.0.0/8', '2001:db8::/32', '192.168.1.1/32']],
    ['0.0.0.0/0 255.255.255.255/32', ['0.0.0.0/0', '255.255.255.255/32']],
    ['::/0,::/128, 2001:DB8:0:0:1::/64', ['::/0', '::/128', '2001:DB8:0:0:1::/64']],
    ['10.0.0.0/8,10.0.0.0/8', ['10.0.0.0/8']],
    ['', []]
  ])('%j reads as %j', (value, want) => {
    expect(settings({ 'allowed-source-ips': value }).allowedSourceIps).toEqual(want)
  })

  it.each([
    '256.0.0.0/8',
    '10.0.0.256/8',
    '10.0.0.0/33',
    '10.0.0.0',
    '10.0.0/8',
    '::/129',
    '1::2::3/64',
    'abcd/64',
    '2001:db8::'
  ])('refuses %j', cidr => {
    expect(refusal({ 'allowed-source-ips': `10.0.0.0/8 ${cidr}` })).toEqual(
      refused('allowed-source-ips', `"${cidr}" is not a CIDR such as 203.0.113.0/24`)
    )
  })

  it('reads in the summary', () => {
    expect(summary({ 'allowed-source-ips': '10.0.0.0/8 ::/0' })).toEqual(['source IPs 10.0.0.0/8, ::/0 only'])
  })
})

describe('vpc-endpoint-ids', () => {
  const PRIVATE = { 'endpoint-type': 'PRIVATE' }
  it.each([
    [VPCE, [VPCE]],
    ['vpce-0123abcd, vpce-0123abce\nvpce-0123abcd', ['vpce-0123abcd', 'vpce-0123abce']]
  ])('%j reads as %j for a PRIVATE API', (value, want) => {
    expect(settings({ ...PRIVATE, 'vpc-endpoint-ids': value }).vpcEndpointIds).toEqual(want)
  })

  it.each(['vpce-0123abc', 'vpce-0123456789abcdef01', 'vpc-0123abcd', 'vpce-0123ABCD', 'xvpce-0123abcd'])(
    'refuses %j',
    id => {
      expect(refusal({ ...PRIVATE, 'vpc-endpoint-ids': id })).toEqual(
        refused('vpc-endpoint-ids', `"${id}" is not a VPC endpoint id (vpce-…)`)
      )
    }
  )

  it('is required for a PRIVATE API, and only for one', () => {
    expect(refusal(PRIVATE)).toEqual(
      refused(
        'vpc-endpoint-ids',
        "is required with 'endpoint-type: PRIVATE': the execute-api interface VPC endpoints callers come through"
      )
    )
    for (const type of ['REGIONAL', 'EDGE']) {
      expect(refusal({ 'endpoint-type': type, 'vpc-endpoint-ids': VPCE })).toEqual(
        refused('vpc-endpoint-ids', "is only for 'endpoint-type: PRIVATE'")
      )
    }
    expect(settings({}).vpcEndpointIds).toEqual([])
  })

  it('reads in the summary of a PRIVATE API', () => {
    expect(summary({ ...PRIVATE, 'vpc-endpoint-ids': `${VPCE} vpce-0123abcd` }, 'PRIVATE')).toEqual([
      `PRIVATE through ${VPCE}, vpce-0123abcd`
    ])
    expect(summary({}, 'REGIONAL')).toEqual([])
  })
})

describe('web-acl-arn', () => {
  it("takes a regional web ACL of the API's region", () => {
    expect(settings({ 'web-acl-arn': WEB_ACL }).webAclArn).toBe(WEB_ACL)
    expect(settings({}).webAclArn).toBeUndefined()
    expect(summary({ 'web-acl-arn': WEB_ACL })).toEqual([`web ACL ${WEB_ACL}`])
  })

  it.each([
    'arn:aws:wafv2:us-west-2:123456789012:global/webacl/x/0f0e0d0c-1111-2222-3333-444455556666',
    'arn:aws:wafv2:us-west-2:123456789012:regional/webacl/x/0f0e0d0c',
    'arn:aws:waf:us-west-2:123456789012:regional/webacl/x/0f0e0d0c-1111-2222-3333-444455556666',
    `${WEB_ACL}/x`
  ])('refuses %s, saying what one looks like', arn => {
    expect(refusal({ 'web-acl-arn': arn })).toEqual(
      refused(
        'web-acl-arn',
        `"${arn}" is not a regional AWS WAF web ACL ARN (arn:aws:wafv2:REGION:ACCOUNT:regional/webacl/NAME/ID)`
      )
    )
  })

  it('refuses one of another region, naming both', () => {
    expect(refusal({ 'web-acl-arn': WEB_ACL.replace('us-west-2', 'eu-west-1') })).toEqual(
      refused('web-acl-arn', 'is in eu-west-1, but the API is in us-west-2: use a web ACL in us-west-2')
    )
  })
})

describe('disable-execute-api-endpoint and response-streaming', () => {
  const DOMAIN = { 'domain-name': 'api.example.com', 'certificate-arn': CERT }
  it('are off by default, on with true, and read in the summary', () => {
    expect(settings({})).toMatchObject({ disableExecuteApiEndpoint: false, responseStreaming: false })
    expect(settings({ ...DOMAIN, 'disable-execute-api-endpoint': 'True' }).disableExecuteApiEndpoint).toBe(
      true
    )
    expect(settings({ 'response-streaming': 'TRUE' }).responseStreaming).toBe(true)
    expect(summary({ ...DOMAIN, 'disable-execute-api-endpoint': 'true' })).toEqual([
      'execute-api endpoint off (the custom domain only)'
    ])
    expect(summary({ 'response-streaming': 'true' })).toEqual(['responses streamed'])
    expect(summary({ 'response-streaming': 'false', 'disable-execute-api-endpoint': 'false' })).toEqual([])
  })

  it.each(['disable-execute-api-endpoint', 'response-streaming'])(
    '%s refuses what is not a boolean',
    name => {
      expect(refusal({ ...DOMAIN, [name]: 'yes' })).toEqual(
        refused(name, `"yes" is not a boolean: use 'true' or 'false'`)
      )
    }
  )
})

describe('cors-allow-origins', () => {
  it.each<[Record<string, string>, string[]]>([
    [{}, ['*']],
    [{ 'cors-allow-origins': ' * ' }, ['*']],
    [{ 'cors-allow-origins': '*', cors: 'false' }, ['*']],
    [{ 'cors-allow-origins': ' , ' }, ['*']],
    [
      { 'cors-allow-origins': 'https://App.Example.com, http://localhost:3000\nhttps://a-b.c.io:8443' },
      ['https://app.example.com', 'http://localhost:3000', 'https://a-b.c.io:8443']
    ]
  ])('%j reads as %j', (inputs, want) => {
    expect(settings(inputs).corsAllowOrigins).toEqual(want)
  })

  it.each<[Record<string, string>, string]>([
    [
      { 'cors-allow-origins': 'https://a.com', cors: 'false' },
      "needs 'cors': the origins are what CORS allows"
    ],
    [
      { 'cors-allow-origins': 'https://a.com, *' },
      "'*' allows every origin: give it alone, or name the origins"
    ],
    [
      { 'cors-allow-origins': '*, https://a.com' },
      "'*' allows every origin: give it alone, or name the origins"
    ],
    [
      { 'cors-allow-origins': 'https://a.com, https://a.com/path' },
      '"https://a.com/path" is not an origin such as https://app.example.com (a scheme, a host and a port, no path)'
    ],
    [
      { 'cors-allow-origins': 'ftp://a.com' },
      '"ftp://a.com" is not an origin such as https://app.example.com (a scheme, a host and a port, no path)'
    ],
    [
      { 'cors-allow-origins': 'a.com' },
      '"a.com" is not an origin such as https://app.example.com (a scheme, a host and a port, no path)'
    ],
    [
      { 'cors-allow-origins': 'https://a.com:123456' },
      '"https://a.com:123456" is not an origin such as https://app.example.com (a scheme, a host and a port, no path)'
    ]
  ])('refuses %j', (inputs, message) => {
    expect(refusal(inputs)).toEqual(refused('cors-allow-origins', message))
  })

  it('reads in the summary when it names origins', () => {
    expect(summary({ 'cors-allow-origins': 'https://a.com,https://b.com' })).toEqual([
      'CORS for https://a.com, https://b.com'
    ])
    expect(summary({})).toEqual([])
  })
})
