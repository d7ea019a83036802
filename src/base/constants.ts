/** One source of truth for the names users and AWS see: inputs, outputs, tags, defaults. */

export const ACTION_NAME = 'cortex-rest-gateway'

/**
 * The names of the inputs the code refers to by name. Every input, with its type, default, description,
 * flag and modes, is a row of the inputs table (config/input-table.ts); a feature's own settings name theirs
 * in their rows.
 */
export const Inputs = {
  Mode: 'mode',
  LoadBalancer: 'load-balancer',
  ClusterName: 'cluster-name',
  Scheme: 'scheme',
  Stage: 'stage',
  ApiName: 'api-name',
  Region: 'region',
  EndpointType: 'endpoint-type',
  Authorization: 'authorization',
  Cors: 'cors',
  VpcLinkName: 'vpc-link-name',
  Timeout: 'timeout',
  Tags: 'tags',
  DryRun: 'dry-run',
  DeleteOnExit: 'delete-on-exit',
  FailOnCleanupError: 'fail-on-cleanup-error',
  WaitForReady: 'wait-for-ready',
  ReadyPath: 'ready-path',
  VpcLinkVersion: 'vpc-link-version',
  SubnetIds: 'subnet-ids',
  SecurityGroupIds: 'security-group-ids',
  Adopt: 'adopt',
  DomainName: 'domain-name',
  CertificateArn: 'certificate-arn',
  BasePath: 'base-path',
  HostedZoneId: 'hosted-zone-id',
  Throttle: 'throttle',
  ApiKeys: 'api-keys',
  ApiKeyQuota: 'api-key-quota',
  ApiKeyThrottle: 'api-key-throttle',
  BinaryMediaTypes: 'binary-media-types',
  IntegrationTimeout: 'integration-timeout',
  AccessLogDestination: 'access-log-destination',
  AccessLogFormat: 'access-log-format',
  LoggingLevel: 'logging-level',
  ResourcePolicy: 'resource-policy',
  AllowedSourceIps: 'allowed-source-ips',
  VpcEndpointIds: 'vpc-endpoint-ids',
  SecurityPolicy: 'security-policy',
  DisableExecuteApiEndpoint: 'disable-execute-api-endpoint',
  ResponseStreaming: 'response-streaming',
  CanaryLoadBalancer: 'canary-load-balancer',
  CanaryClusterName: 'canary-cluster-name',
  CanaryPercent: 'canary-percent',
  CorsAllowOrigins: 'cors-allow-origins',
  CognitoUserPoolArns: 'cognito-user-pool-arns',
  AuthorizationScopes: 'authorization-scopes',
  AuthorizerLambdaArn: 'authorizer-lambda-arn',
  AuthorizerType: 'authorizer-type',
  AuthorizerIdentitySource: 'authorizer-identity-source',
  AuthorizerTtl: 'authorizer-ttl'
} as const
/** An input's name: a row of the inputs table. */
export type InputName = string

export const Outputs = {
  InvokeUrl: 'invoke-url',
  ApiId: 'api-id',
  Stage: 'stage',
  VpcLinkId: 'vpc-link-id',
  Scheme: 'scheme',
  LoadBalancerArn: 'load-balancer-arn',
  Result: 'result',
  Plan: 'plan',
  ReadyStatus: 'ready-status',
  DomainUrl: 'domain-url',
  DomainTarget: 'domain-target',
  DomainHostedZoneId: 'domain-hosted-zone-id',
  ApiKeyIds: 'api-key-ids',
  ApiKey: 'api-key',
  /** The GitHub deployment a run recorded (deployment-environment); empty without one. */
  DeploymentId: 'deployment-id',
  CanaryPercent: 'canary-percent',
  AuthorizerId: 'authorizer-id',
  /** `arn:aws:execute-api:<region>:<account>:<api-id>`, for callers' IAM policies. */
  ExecutionArn: 'execution-arn'
} as const
export type OutputName = (typeof Outputs)[keyof typeof Outputs]

/** Tag keys this action writes. Everything under this prefix is reserved for the action. */
export const TAG_PREFIX = `${ACTION_NAME}:`
export const Tags = {
  /** Ownership marker: its presence (with this value) is what makes a resource ours. */
  ManagedBy: `${TAG_PREFIX}managed-by`,
  /**
   * The `api-name` a resource was made for, losslessly (ownership.ts tagValue): how a VPC link is traced to
   * its gateway.
   */
  ApiName: `${TAG_PREFIX}api-name`,
  /** The load balancer a VPC link was made to reach. */
  LoadBalancer: `${TAG_PREFIX}load-balancer`,
  /** The repository (owner/name) whose workflows made it: only that repository's runs change or delete it. */
  Repository: `${TAG_PREFIX}repository`,
  Workflow: `${TAG_PREFIX}workflow`,
  /**
   * On a REST API waiting its turn to be deleted (delete-line.ts): when it joined the account's
   * line of deletes, in epoch milliseconds.
   */
  DeleteQueued: `${TAG_PREFIX}delete-queued`,
  /**
   * On a REST API: the custom domain it is served on (a base path mapping of it), so that a later
   * run or a delete finds the mapping, and the domain it may have to remove, without an input.
   */
  DomainName: `${TAG_PREFIX}domain-name`,
  /**
   * On a REST API: the Route 53 hosted zone where the action keeps the domain's alias record. On a custom
   * domain the action made: the zone it was made with, so a run that finds it serving nothing removes the
   * record with it.
   */
  HostedZoneId: `${TAG_PREFIX}hosted-zone-id`,
  /**
   * On a REST API: the base path of the mapping the action made on its custom domain (`/` for the root),
   * so that it moves or removes that mapping, and only that one.
   */
  BasePath: `${TAG_PREFIX}base-path`,
  /**
   * On a REST API: the settings the action set on it (`policy`, and `binary:<type>` per binary media
   * type), so that it removes what it set, and only that, when an input is removed.
   */
  ApiSettings: `${TAG_PREFIX}api-settings`,
  /** On a stage: the setting groups the action set on it (the settings table's stage rows name them). */
  StageSettings: `${TAG_PREFIX}stage-settings`,
  /** On a usage plan and an API key: the stage they were made for. */
  Stage: `${TAG_PREFIX}stage`
} as const

/**
 * Route 53 records carry no tags: an alias record the action wrote is marked by a TXT record
 * beside it, `<this prefix>.<domain>`, whose value names the repository (as external-dns marks its own).
 */
export const DNS_OWNER_RECORD_PREFIX = `_${ACTION_NAME}`

/** The value of Tags.DeleteQueued on an API that is in no line of deletes (any more). */
export const DELETE_LINE_LEFT = 'left'

/** The longest 'timeout' a run may have. */
export const MAX_TIMEOUT_SECONDS = 6 * 60 * 60
export const MANAGED_BY_VALUE = ACTION_NAME

/** Deployments this action makes carry this description prefix plus a hash of what they deploy. */
export const DEPLOYMENT_DESCRIPTION_PREFIX = `${ACTION_NAME} `

/** Keys the main step saves for the post step (core.saveState / getState). */
export const StateKeys = {
  IsPost: 'isPost',
  /** JSON of what the post step deletes, saved only with delete-on-exit. */
  Cleanup: 'cleanup',
  /** JSON of the pull request comment and deployment the post step marks deleted (never the token). */
  Previews: 'previews'
} as const

/** The defaults the code refers to by name (the inputs table holds every input's). */
export const Defaults = {
  mode: 'create',
  scheme: 'auto',
  endpointType: 'REGIONAL',
  authorization: 'NONE',
  cors: true,
  timeoutSeconds: 900,
  dryRun: false,
  deleteOnExit: false,
  failOnCleanupError: false,
  waitForReady: false,
  readyPath: '/',
  vpcLinkVersion: 'auto',
  adopt: false,
  integrationTimeout: 29_000
} as const

/** The access log line when `access-log-format` is not given: one JSON object a request. */
export const DEFAULT_ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integrationLatency'
})

/** `api-name` when none is given: this, or `cortex-<cluster-name>` with a cluster. */
export const DEFAULT_API_NAME = 'cortex'

/** The stage a create deploys when `stage` is not given (a delete without it deletes every stage). */
export const DEFAULT_STAGE = 'dev'

/**
 * How Cortex tags a cluster's AWS resources, and which load balancer is the cluster's API one
 * (the guide's own way to find it).
 */
export const Cortex = {
  ClusterTag: 'cortex.dev/cluster-name',
  ServiceTag: 'kubernetes.io/service-name',
  ApiService: 'istio-system/ingressgateway-apis',
  /** Cortex's own mark of its API load balancer, where it sets one. */
  LoadBalancerTag: 'cortex.dev/load-balancer',
  ApiLoadBalancer: 'api'
} as const

export const PROXY_PATH = '/{proxy+}' as const
export const ROOT_PATH = '/' as const
export const PROXY_PATH_PART = '{proxy+}'

export const CORS_ALLOW_HEADERS = 'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'
export const CORS_ALLOW_METHODS = 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT'
export const CORS_ALLOW_ORIGIN = '*'
