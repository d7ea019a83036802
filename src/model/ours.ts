/**
 * One model of "ours": for every kind of resource the action touches, how it is found, how the action
 * knows it is its own, what of it a person may change that the action keeps, how it is made, changed and
 * deleted, and how an orphan of the action's is swept. The rules in the code that decide are named here
 * (`module#export`, the module relative to src/): the surfaces call those rules, and
 * __tests__/ours.unit.test.ts holds each one to a resource of ours and to one that is not.
 * docs/ownership.md says the same at length.
 *
 * The rules take different things (tags, a TXT record beside a DNS record, a statement of a policy, the
 * record a tag of ours keeps, a name of its own), so they are named, not forced behind one signature.
 */

/** Every kind of resource the action makes, changes or deletes. */
export const KINDS = [
  'rest-api',
  'stage',
  'vpc-link',
  'api-settings',
  'stage-settings',
  'policy-statement',
  'usage-plan',
  'api-key',
  'custom-domain',
  'base-path-mapping',
  'dns-record',
  'gateway-response',
  'authorizer',
  'lambda-permission'
] as const
export type Kind = (typeof KINDS)[number]

/**
 * How the action knows it is its own: its tags on it (model/ownership.ts); a TXT record beside it (a DNS
 * record has no tags); a statement id of its own; a tag of ours on the API or stage that records it; or a
 * mark in a mapping template (a gateway response has no tags).
 */
export type OursBy = 'tags' | 'txt-mark' | 'statement-id' | 'recorded-in-tag' | 'template-mark' | 'name'

/** A rule in the code: `module#export`, the module relative to src/ without its extension. */
export type Rule = `${string}#${string}`

export interface Ownership {
  /** How a run finds it (the AWS calls). */
  foundBy: string
  oursBy: OursBy
  /** When it is ours, in words. */
  ours: string
  /** The rules that decide whether one is ours. */
  decidedBy: readonly Rule[]
  /** What a person may change on it, or add beside it, that the action keeps. */
  keeps: string
  made: string
  changed: string
  deleted: string
  /** How an orphan of ours (left by a run that stopped or raced) goes. */
  sweep: string
  /** The rule that picks the orphans, where there is one of its own. */
  sweptBy?: Rule
}

const TAGS = 'managed-by and repository tags name the action and this repository'

export const OWNERSHIP: Readonly<Record<Kind, Ownership>> = {
  'rest-api': {
    foundBy: 'GetRestApis, by api-name',
    oursBy: 'tags',
    ours: TAGS,
    decidedBy: ['model/ownership#isOurs'],
    keeps: 'tags, stages, resources and methods a person added, while the API lives',
    made: 'CreateRestApi, tagged at creation; adopt tags a same-named one that is not ours',
    changed: 'in place (same id): methods on / and /{proxy+} replaced whole, tags applied again',
    deleted: "by delete, with every stage, resource and mapping on it (a person's named in a warning)",
    sweep: 'a twin of racing runs (not the oldest of ours of the name) goes once the gateway works',
    sweptBy: 'core/choose-api#keptApi'
  },
  stage: {
    foundBy: 'GetStage of our API',
    oursBy: 'tags',
    ours: `our API's stage named 'stage', tagged as ours (${TAGS})`,
    decidedBy: ['model/ownership#isOurs'],
    keeps: 'a setting the action did not record setting; another stage a person added',
    made: 'CreateDeployment, then CreateStage with our tags',
    changed: 'a new deployment when the API changed; settings as recorded in its tag',
    deleted: 'with the API (a stage not ours is named in a warning)',
    sweep: 'goes with the API'
  },
  'vpc-link': {
    foundBy: 'GetVpcLinks (v1 and v2), by what it reaches',
    oursBy: 'tags',
    ours: `${TAGS}; made for a gateway by its api-name tag`,
    decidedBy: ['model/ownership#isOurs', 'model/ownership#madeFor'],
    keeps: "a person's link reaching the load balancer is only used, never changed or deleted",
    made: 'CreateVpcLink with our tags and the load balancer it reaches; waited for until AVAILABLE',
    changed: 'never: a link to somewhere else is another link',
    deleted: 'when no gateway of this repository goes through it any more (the last one out takes it)',
    sweep:
      'a settled link of ours whose gateway is gone (no API of ours has its api-name) and that nothing uses',
    sweptBy: 'core/links#spareLinks'
  },
  'api-settings': {
    foundBy: "GetRestApis (the API's binary media types, policy, VPC endpoints)",
    oursBy: 'recorded-in-tag',
    ours: "named in the API's api-settings tag, written before it is set",
    decidedBy: ['features/settings/plan-stage#groupsIn'],
    keeps:
      'a binary media type or policy statement a person added; the execute-api endpoint a person turned off',
    made: 'UpdateRestApi patches, recorded in the tag first',
    changed: 'UpdateRestApi patches of what differs',
    deleted: 'set back when its input goes: only what the tag records',
    sweep: 'goes with the API'
  },
  'stage-settings': {
    foundBy: "GetStage; a setting GetStage does not show, by its row's own read (the settings table's)",
    oursBy: 'recorded-in-tag',
    ours: "named (by its row's group) in the stage's stage-settings tag, written before it is set",
    decidedBy: ['features/settings/plan-stage#groupsIn'],
    keeps: 'a setting a person made on the stage that the tag does not record',
    made: "UpdateStage patches, or the row's own steps; recorded in the tag first",
    changed: "UpdateStage patches of what differs, or the row's own steps",
    deleted: "set back to AWS's defaults when its input goes: only what the tag records",
    sweep: 'goes with the stage'
  },
  'policy-statement': {
    foundBy: "the API's resource policy (GetRestApis)",
    oursBy: 'statement-id',
    ours: 'its Sid is exactly one the action writes (CortexRestGateway…); before the marks, as the action wrote it',
    decidedBy: ['features/settings/plan-policy#isMarked'],
    keeps: 'every statement without the mark (a policy the action wrote nothing in is never touched)',
    made: "UpdateRestApi: the action's statements beside a person's",
    changed: 'the same, a deployment putting it live',
    deleted: "the action's statements taken out when the inputs go; a person's stay",
    sweep: 'goes with the API'
  },
  'usage-plan': {
    foundBy: 'GetUsagePlans, by tags',
    oursBy: 'tags',
    ours: `${TAGS}, for this gateway (api-name) and this stage (stage tag)`,
    decidedBy: ['model/ownership#madeForStage', 'features/keys/plan#planFor'],
    keeps: 'a key a person attached is only taken off',
    made: 'CreateUsagePlan with its stage and our tags',
    changed: 'UpdateUsagePlan: quota and throttle',
    deleted: 'when api-keys goes, or by delete before the API',
    sweep: 'a plan of ours for the gateway serving nothing (no stage, or only APIs gone) goes, with its keys',
    sweptBy: 'features/keys/plan#strayPlans'
  },
  'api-key': {
    foundBy: 'GetApiKeys, by tags',
    oursBy: 'tags',
    ours: `${TAGS}, for this gateway (api-name) and this stage (stage tag)`,
    decidedBy: ['model/ownership#madeForStage'],
    keeps: 'a key of the name made by anyone else is never reused, changed or deleted',
    made: 'CreateApiKey with our tags, attached to our plan',
    changed: 'never: reused by name',
    deleted: 'when its name leaves api-keys, or with the gateway',
    sweep: 'goes with the stray plan of ours that held it, unless a plan still serving holds it',
    sweptBy: 'features/keys/plan#strayPlans'
  },
  'custom-domain': {
    foundBy: 'GetDomainName; GetDomainNames for the sweep',
    oursBy: 'tags',
    ours: `${TAGS} (and the hosted zone of its record, hosted-zone-id)`,
    decidedBy: ['model/ownership#isOurs'],
    keeps: 'never changed when not ours: the run fails naming whose it is',
    made: 'CreateDomainName with our tags and the zone of its record',
    changed: 'a new certificate or TLS policy in place; the zone learnt by TagResource',
    deleted: 'with the last mapping, by the last gateway out, when this repository made it',
    sweep: 'a domain of ours serving nothing, no gateway of ours tagged as served on it, read again first',
    sweptBy: 'features/domain/plan-sweep#sweepDomains'
  },
  'base-path-mapping': {
    foundBy: 'GetBasePathMappings of the domain',
    oursBy: 'recorded-in-tag',
    ours: "at the base path recorded on our API (base-path tag); before that tag, the API's only one there",
    decidedBy: ['features/domain/plan-leave#madeMappings'],
    keeps: 'every other mapping, even one to our stage (only delete, removing the API, removes it, named)',
    made: 'CreateBasePathMapping, the API tagged first with where it is served',
    changed: 'UpdateBasePathMapping: the stage',
    deleted: 'when domain-name goes or moves, or before the API',
    sweep: 'goes with the domain or the API'
  },
  'dns-record': {
    foundBy: 'ListResourceRecordSets at the name and at its mark',
    oursBy: 'txt-mark',
    ours: 'a TXT mark beside it names the action, this repository and region; it is an alias as the action writes',
    decidedBy: ['model/ownership#markedOurs', 'features/domain/plan-records#isActionAlias'],
    keeps: 'a record a person pointed elsewhere is theirs, mark or not (only the mark beside it goes)',
    made: 'ChangeResourceRecordSets: the alias A record and its TXT mark in one change',
    changed: 'replaced by deleting it exactly as read in the same change',
    deleted: 'with the domain it points at (the record and its mark, exactly as read)',
    sweep: 'goes with the domain, swept or not',
    sweptBy: 'features/domain/plan-sweep#sweepDomains'
  },
  'gateway-response': {
    foundBy: 'GetGatewayResponses of our API (DEFAULT_4XX and DEFAULT_5XX, with cors)',
    oursBy: 'template-mark',
    ours: 'its JSON mapping template starts with the mark, a template comment (##) the answer never shows',
    decidedBy: ['features/cors/plan#isOurResponse'],
    keeps: 'a response a person set (without the mark) is left as it is, with a note, and never reset',
    made: 'PutGatewayResponse with the CORS headers and a JSON body, before the deployment',
    changed: 'put again when the origins change',
    deleted: 'DeleteGatewayResponse (back to AWS default) when cors goes; with the API',
    sweep: 'goes with the API'
  },
  authorizer: {
    foundBy: 'GetAuthorizers of our API',
    oursBy: 'name',
    ours: 'its name is one the action gives: cortex-rest-gateway-cognito-<hash>, -lambda-token-<hash>, -request-<hash>',
    decidedBy: ['features/authorizer/plan#isOurAuthorizer'],
    keeps: "every other authorizer on our API; one of ours a person's method uses is kept, with a note",
    made: 'CreateAuthorizer before the methods that use it',
    changed: 'UpdateAuthorizer: the function, identity source, TTL; the pools or the type make a new one',
    deleted: 'after the deployment that moved the methods off it; with the API',
    sweep: 'an unused one of ours is deleted by the next create'
  },
  'lambda-permission': {
    foundBy: 'the function a Lambda authorizer of ours names (GetAuthorizers); no policy is read',
    oursBy: 'statement-id',
    ours: 'its statement id is cortex-rest-gateway-<api-id>, on the function an authorizer of ours names',
    decidedBy: ['features/authorizer/plan#isOurStatement'],
    keeps: 'every other statement on the function',
    made: "AddPermission (apigateway.amazonaws.com, SourceArn this API's authorizers) before the authorizer",
    changed: 'replaced (removed, added) when a statement of that id is there already',
    deleted: 'RemovePermission by its id once no authorizer of ours names the function; before the API',
    sweep: 'removed again with the unused authorizer of ours that names it'
  }
}
