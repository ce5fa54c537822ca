// Request and response examples of shared/spec/wire.md and shared/spec/mef-maf-interface.md, and
// the path/query examples of TS-0009 V3.9.1 §6.2.2, as printed. Where a document prints only a
// method and path (no headers), the oneM2M headers a real request must carry are added and
// `headersAdded` says so. Elisions (`9F1C…E2`, `ecr7H2…`) are filled with values of the same
// shape and `filled` names them; those vectors are `provenance: 'own'`.

export interface WireRequestExample {
  readonly source: string
  readonly provenance: 'published' | 'own'
  readonly headersAdded?: true
  readonly filled?: string
  readonly method: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** Parameters the decoded primitive must have (a subset of it). */
  readonly expected: Readonly<Record<string, unknown>>
}

const ADDED = { 'X-M2M-Origin': 'CAdmin', 'X-M2M-RI': 'vec-1', 'X-M2M-RVI': '3' } as const

export const WIRE_REQUEST_EXAMPLES: readonly WireRequestExample[] = [
  {
    source: 'wire.md §3.7 (worked HTTP example: AE registration request)', provenance: 'published',
    method: 'POST', path: '/cse-in',
    headers: {
      Host: 'mn.example.com:8443', 'X-M2M-Origin': 'C', 'X-M2M-RI': 'req-0001', 'X-M2M-RVI': '3',
      'Content-Type': 'application/json;ty=2', Accept: 'application/json',
    },
    body: '{"m2m:ae": {"rn": "meter", "api": "Nmeter-app", "rr": true,\n            "poa": ["https://10.0.0.7:9443/notify"], "srv": ["3"]}}',
    expected: {
      op: 1, to: 'cse-in', fr: 'C', rqi: 'req-0001', rvi: '3', ty: 2,
      pc: { 'm2m:ae': { rn: 'meter', api: 'Nmeter-app', rr: true, poa: ['https://10.0.0.7:9443/notify'], srv: ['3'] } },
    },
  },
  {
    source: 'wire.md §7.4 step 1 (discovery of <serviceSubscribedNode> by CSE-ID)', provenance: 'published', headersAdded: true,
    method: 'GET', path: '/~/in-cse/cse-in?fu=1&ty=20&csi=/mn-cse1', headers: ADDED, body: '',
    expected: { op: 2, to: '/in-cse/cse-in', fc: { fu: 1, ty: [20], atr: [{ nm: 'csi', val: '/mn-cse1' }] } },
  },
  {
    source: 'mef-maf-interface.md §4.4 (MAF Client Registration request)', provenance: 'published',
    method: 'POST', path: '/maf',
    headers: {
      Host: 'maf.example.com:8443', 'X-M2M-Origin': '//sp.example.com/mn-cse1', 'X-M2M-RI': 'r1', 'X-M2M-RVI': '3',
      'Content-Type': 'application/json;ty=32002',
    },
    body: '{"sec:macr": {"et": "20260101T000000", "adfq": "sp.example.com", "lbl": ["site:berlin"]}}',
    expected: { op: 1, to: 'maf', fr: '//sp.example.com/mn-cse1', rqi: 'r1', ty: 32002 },
  },
  {
    source: 'mef-maf-interface.md §4.4 (MAF Key Registration, key from the TLS exporter)', provenance: 'published', headersAdded: true,
    method: 'POST', path: '/maf',
    headers: { ...ADDED, 'X-M2M-Origin': '//sp.example.com/mn-cse1', 'Content-Type': 'application/json;ty=32006' },
    body: '{"sec:skr": {"et": "20250302T000000",\n  "adfq": "sp.example.com", "suid": 32, "tgis": ["//sp.example.com/in-cse"]}}',
    expected: { op: 1, to: 'maf', ty: 32006 },
  },
  {
    source: 'mef-maf-interface.md §4.4 (MAF Key Retrieval by the target)', provenance: 'own', headersAdded: true,
    filled: '9F1C…E2 → 32 upper-case hex digits',
    method: 'GET', path: '/maf/9F1C0000000000000000000000000AE2',
    headers: { ...ADDED, 'X-M2M-Origin': '//sp.example.com/in-cse' }, body: '',
    expected: { op: 2, to: 'maf/9F1C0000000000000000000000000AE2', fr: '//sp.example.com/in-cse' },
  },
  {
    source: 'mef-maf-interface.md §4.4 (MEF command loop, RETRIEVE)', provenance: 'own', headersAdded: true,
    filled: 'ecr7H2… → ecr7H2K9Q3T0A4ZP2M7X',
    method: 'GET', path: '/mef/ecr7H2K9Q3T0A4ZP2M7X/cmd', headers: ADDED, body: '',
    expected: { op: 2, to: 'mef/ecr7H2K9Q3T0A4ZP2M7X/cmd' },
  },
  {
    source: 'mef-maf-interface.md §4.4 (MEF command loop, UPDATE with status)', provenance: 'own', headersAdded: true,
    filled: 'ecr7H2… → ecr7H2K9Q3T0A4ZP2M7X',
    method: 'PUT', path: '/mef/ecr7H2K9Q3T0A4ZP2M7X/cmd', headers: { ...ADDED, 'Content-Type': 'application/json' },
    body: '{"sec:mecc": {"cmid": "1", "cmst": 20}}',
    expected: { op: 3, to: 'mef/ecr7H2K9Q3T0A4ZP2M7X/cmd', pc: { 'sec:mecc': { cmid: '1', cmst: 20 } } },
  },
  {
    source: 'mef-maf-interface.md §6 (fetchCredentials by an Enrolment Target)', provenance: 'published', headersAdded: true,
    method: 'GET', path: '/fetchCredentials/1C2B16403482987C93BA591954C8B67C@mef.example.com/21',
    headers: { ...ADDED, 'X-M2M-Origin': 'maf.example.com' }, body: '',
    expected: { op: 2, to: 'fetchCredentials/1C2B16403482987C93BA591954C8B67C@mef.example.com/21' },
  },
  {
    source: 'mef-maf-interface.md §6 (fetchCredentials, server also accepts %40)', provenance: 'published', headersAdded: true,
    method: 'GET', path: '/fetchCredentials/1C2B16403482987C93BA591954C8B67C%40mef.example.com/21',
    headers: { ...ADDED, 'X-M2M-Origin': 'maf.example.com' }, body: '',
    expected: { op: 2, to: 'fetchCredentials/1C2B16403482987C93BA591954C8B67C@mef.example.com/21' },
  },
  {
    source: 'TS-0009 V3.9.1 §6.2.2.2 EXAMPLE 1 (nonBlockingRequestSynch query; printed without the /~ its SP-relative To needs, so only the query is checked)', provenance: 'published', headersAdded: true,
    method: 'GET', path: '/CSE1234/RCSE78/container234?rt=1&rp=P1Y2M3DT10H1M0S', headers: ADDED, body: '',
    expected: { op: 2, rt: { rtv: 1 }, rp: 'P1Y2M3DT10H1M0S' },
  },
  {
    source: 'TS-0009 V3.9.1 §6.2.2.2 EXAMPLE 2 (discovery by creator)', provenance: 'published', headersAdded: true,
    method: 'GET', path: '/CSE1234/RCSE78?ty=3&cr=Sam&fu=1', headers: ADDED, body: '',
    expected: { op: 2, fc: { ty: [3], atr: [{ nm: 'cr', val: 'Sam' }], fu: 1 } },
  },
  {
    source: 'TS-0009 V3.9.1 §6.2.2.2 partial retrieve Case 2 (atrl=rr)', provenance: 'published', headersAdded: true,
    method: 'GET', path: '/_/example.net/myCSE/-/Cont1?atrl=rr', headers: ADDED, body: '',
    expected: { op: 2, to: '//example.net/myCSE/-/Cont1#rr' },
  },
  {
    source: 'TS-0009 V3.9.1 §6.2.2.2 partial retrieve Case 1 (atrl=ri+lbl+rr; the printed primitive says op 1, read as the RETRIEVE the clause describes)', provenance: 'published', headersAdded: true,
    method: 'GET', path: '/_/example.net/myCSE/-/Cont1?atrl=ri+lbl+rr', headers: ADDED, body: '',
    expected: { op: 2, to: '//example.net/myCSE/-/Cont1', pc: { 'm2m:atrl': ['ri', 'lbl', 'rr'] } },
  },
]

/** TS-0009 V3.9.1 Table 6.2.2.1-1. The printed absolute structured rows hold a stray space after `CSEBase/`; it is removed here. */
export const TS0009_PATH_EXAMPLES = [
  { source: 'TS-0009 Table 6.2.2.1-1 structured CSE-Relative', to: 'CSEBase/ae12/cont27/contInst696', path: '/CSEBase/ae12/cont27/contInst696/' },
  { source: 'TS-0009 Table 6.2.2.1-1 unstructured CSE-Relative', to: 'cin00856', path: '/cin00856' },
  { source: 'TS-0009 Table 6.2.2.1-1 structured SP-Relative', to: '/CSE178/CSEBase/ae12/cont27/contInst696', path: '/~/CSE178/CSEBase/ae12/cont27/contInst696' },
  { source: 'TS-0009 Table 6.2.2.1-1 unstructured SP-Relative', to: '/CSE178/cin00856', path: '/~/CSE178/cin00856' },
  { source: 'TS-0009 Table 6.2.2.1-1 structured Absolute', to: '//mym2msp.org/CSE178/CSEBase/ae12/cont27/contInst696', path: '/_/mym2msp.org/CSE178/CSEBase/ae12/cont27/contInst696' },
  { source: 'TS-0009 Table 6.2.2.1-1 unstructured Absolute', to: '//mym2msp.org/CSE178/cin00856', path: '/_/mym2msp.org/CSE178/cin00856' },
] as const

export interface WireResponseExample {
  readonly source: string
  readonly provenance: 'published'
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly expected: Readonly<Record<string, unknown>>
  readonly createdResourceId?: string
}

export const WIRE_RESPONSE_EXAMPLES: readonly WireResponseExample[] = [
  {
    source: 'wire.md §3.7 (worked HTTP example: AE registration response)', provenance: 'published',
    status: 201,
    headers: { 'X-M2M-RSC': '2001', 'X-M2M-RI': 'req-0001', 'X-M2M-RVI': '3', 'Content-Location': '/cse-in/meter', 'Content-Type': 'application/json' },
    body: '{"m2m:ae": {"rn": "meter", "ty": 2, "ri": "Cmeter01", "aei": "Cmeter01",\n            "pi": "cse-in-ri", "ct": "20250101T120000,000000", "lt": "20250101T120000,000000",\n            "et": "20260101T120000,000000", "api": "Nmeter-app", "rr": true,\n            "poa": ["https://10.0.0.7:9443/notify"], "srv": ["3"]}}',
    expected: { rsc: 2001, rqi: 'req-0001', rvi: '3' },
    createdResourceId: 'cse-in/meter',
  },
  {
    source: 'mef-maf-interface.md §4.4 (MAF Client Registration response)', provenance: 'published',
    status: 201,
    headers: { 'X-M2M-RSC': '2001', 'X-M2M-RI': 'r1', 'X-M2M-RVI': '3', 'Content-Location': '/maf/mcrK3Q9T0A4ZP2M7XW1', 'Content-Type': 'application/json' },
    body: '{"sec:macr": {"ty": 32002, "ri": "mcrK3Q9T0A4ZP2M7XW1", "rn": "mcrK3Q9T0A4ZP2M7XW1",\n  "pi": "maf", "ct": "20250301T101500", "lt": "20250301T101500", "et": "20251231T000000",\n  "lbl": ["site:berlin"], "adfq": "sp.example.com", "clid": "//sp.example.com/mn-cse1"}}',
    expected: { rsc: 2001, rqi: 'r1', rvi: '3' },
    createdResourceId: 'maf/mcrK3Q9T0A4ZP2M7XW1',
  },
]
