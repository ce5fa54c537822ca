/**
 * Attribute name tables of the TS-0004 resource types this project reads and writes
 * (TS-0004 §8.2.3 short names, §7.4.x attribute lists, wire.md §4.3–§4.5 and §7), and of the
 * non-resource Content roots (`m2m:dbg`, `m2m:uri`, `m2m:atrl`).
 */
import { resourceAttributeSchema } from './short-names.js'
import type { NameSchema } from './short-names.js'
import { RESOURCE_TYPE } from './resource-type.js'

/** How one JSON root (`m2m:ae`) is named and what its members are called. */
export interface ResourceSchema {
  /** Namespace prefix the writer emits (`m2m`). */
  readonly prefix: string
  /** Other prefixes the reader accepts for the same root. */
  readonly acceptedPrefixes: readonly string[]
  /** Short name of the root (`ae`). */
  readonly shortName: string
  /** Long name (`AE`), accepted by the reader as `<prefix>:<longName>`. */
  readonly longName: string
  /** Resource type code, absent for non-resource roots. */
  readonly ty?: number
  /** Members of the root object; undefined when the root value is not an object. */
  readonly attributes?: NameSchema
}

const POA_SRV = {
  pointOfAccess: 'poa', nodeLink: 'nl', e2eSecInfo: 'esi', supportedReleaseVersions: 'srv',
  contentSerialization: 'csz',
}

const EVENT_NOTIFICATION_CRITERIA: NameSchema = {
  names: {
    createdBefore: 'crb', createdAfter: 'cra', modifiedSince: 'ms', unmodifiedSince: 'us',
    stateTagSmaller: 'sts', stateTagBigger: 'stb', expireBefore: 'exb', expireAfter: 'exa',
    labels: 'lbl', sizeAbove: 'sza', sizeBelow: 'szb', notificationEventType: 'net',
    operationMonitor: 'om', attribute: 'atr', childResourceType: 'chty', missingData: 'md',
    filterOperation: 'fo',
  },
}

function m2m(shortName: string, longName: string, ty: number | undefined, attributes?: NameSchema): ResourceSchema {
  return { prefix: 'm2m', acceptedPrefixes: [], shortName, longName, ...(ty === undefined ? {} : { ty }), ...(attributes === undefined ? {} : { attributes }) }
}

export const TS0004_SCHEMAS: readonly ResourceSchema[] = [
  m2m('cb', 'CSEBase', RESOURCE_TYPE.CSE_BASE, resourceAttributeSchema({
    cseType: 'cst', 'CSE-ID': 'csi', supportedResourceType: 'srt', notificationCongestionPolicy: 'ncp', ...POA_SRV,
  })),
  m2m('ae', 'AE', RESOURCE_TYPE.AE, resourceAttributeSchema({
    appName: 'apn', 'App-ID': 'api', 'AE-ID': 'aei', ontologyRef: 'or', requestReachability: 'rr',
    'M2M-Ext-ID': 'mei', registrationStatus: 'regs', trackRegistrationPoints: 'trps',
    sessionCapabilities: 'scp', triggerEnable: 'tren', activityPatternElements: 'ape',
    'Trigger-Recipient-ID': 'tri', triggerReferenceNumber: 'trn', ...POA_SRV,
  })),
  m2m('csr', 'remoteCSE', RESOURCE_TYPE.REMOTE_CSE, resourceAttributeSchema({
    cseType: 'cst', CSEBase: 'cb', 'CSE-ID': 'csi', 'M2M-Ext-ID': 'mei', 'Trigger-Recipient-ID': 'tri',
    requestReachability: 'rr', triggerReferenceNumber: 'trn', descendantCSEs: 'dcse',
    multicastCapability: 'mtcc', externalGroupID: 'egid', triggerEnable: 'tren',
    activityPatternElements: 'ape', ...POA_SRV,
  })),
  m2m('cnt', 'container', RESOURCE_TYPE.CONTAINER, resourceAttributeSchema({
    maxNrOfInstances: 'mni', maxByteSize: 'mbs', maxInstanceAge: 'mia', currentNrOfInstances: 'cni',
    currentByteSize: 'cbs', locationID: 'li', ontologyRef: 'or', disableRetrieval: 'disr',
  })),
  // `con` is open content: its members are the application's, never renamed.
  m2m('cin', 'contentInstance', RESOURCE_TYPE.CONTENT_INSTANCE, resourceAttributeSchema({
    contentInfo: 'cnf', contentSize: 'cs', contentRef: 'conr', ontologyRef: 'or', content: 'con',
  })),
  m2m('sub', 'subscription', RESOURCE_TYPE.SUBSCRIPTION, resourceAttributeSchema({
    eventNotificationCriteria: 'enc', expirationCounter: 'exc', notificationURI: 'nu', groupID: 'gpi',
    notificationForwardingURI: 'nfu', batchNotify: 'bn', rateLimit: 'rl', preSubscriptionNotify: 'psn',
    pendingNotification: 'pn', notificationStoragePriority: 'nsp', latestNotify: 'ln',
    notificationContentType: 'nct', notificationEventCat: 'nec', subscriberURI: 'su',
  }, {
    enc: EVENT_NOTIFICATION_CRITERIA,
    bn: { names: { number: 'num', duration: 'dur' } },
    rl: { names: { maxNrOfNotify: 'mnn', timeWindow: 'tww' } },
  })),
  m2m('svsn', 'serviceSubscribedNode', RESOURCE_TYPE.SERVICE_SUBSCRIBED_NODE, resourceAttributeSchema({
    nodeID: 'ni', 'CSE-ID': 'csi', deviceIdentifier: 'di', ruleLinks: 'rlk', niddRequired: 'nrq',
  })),
  m2m('asar', 'serviceSubscribedAppRule', RESOURCE_TYPE.SERVICE_SUBSCRIBED_APP_RULE, resourceAttributeSchema({
    applicableCredIDs: 'apci', 'allowedApp-IDs': 'aai', allowedAEs: 'aae', 'allowedRole-IDs': 'ari',
  })),
  // Non-resource Content roots (TS-0004 Table 8.2.5-1): debug text, a URI, an attribute list.
  m2m('dbg', 'debugInfo', undefined),
  m2m('uri', 'URI', undefined),
  m2m('atrl', 'attributeList', undefined),
]
