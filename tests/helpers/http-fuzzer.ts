/**
 * An HTTP fuzzer run in a process of its own against a running server: every operation of the
 * server's OpenAPI document, with every kind of credential, with inputs made to break things
 * (wrong types, deep nesting, huge and empty bodies, bad JSON, unknown fields), plus what the
 * HTTP parser and the static file server see (bad and long URLs, huge headers, odd methods, ranges
 * and preconditions on the console's files). Runs for argv[3] seconds against argv[2], then prints
 * one JSON line: how many requests, the count per status, and every answer that breaks the
 * contract — a 5xx, an error without a catalogue code, or an error body that echoes the request.
 *
 * Usage: node http-fuzzer.ts <base url> <seconds> <credentials JSON: { name: bearer }>
 */
import { connect } from 'node:net'

const [base, secondsText, credentialsText] = process.argv.slice(2)
const deadline = Date.now() + Number(secondsText) * 1000
const credentials = { none: undefined, garbage: 'garbage', badJwt: 'eyJhbGciOiJFZERTQSJ9.e30.AAAA', ...(JSON.parse(credentialsText ?? '{}') as Record<string, string>) } as Record<string, string | undefined>
const url = new URL(base!)

type Finding = { readonly request: string; readonly status: number; readonly body: string; readonly why: string }
const statuses: Record<string, number> = {}
const findings: Finding[] = []
let requests = 0
let seed = 42
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!

const MARKER = 'FUZZMARKER'

/** JSON text nested `depth` levels deep, written as text (stringifying it would itself recurse). */
function deep(depth: number): string {
  let open = ''
  let close = ''
  for (let i = 0; i < depth; i++) {
    if (random() < 0.5) {
      open += '['
      close = `]${close}`
    } else {
      open += '{"a":'
      close = `}${close}`
    }
  }
  return `${open}"${MARKER}"${close}`
}

const BODIES: (() => string | undefined)[] = [
  () => undefined,
  () => '',
  () => '{',
  () => 'null',
  () => '[]',
  () => '"text"',
  () => JSON.stringify({ input: { uscc: MARKER } }),
  () => `{"input":${deep(5000)}}`,
  () => deep(3000),
  () => JSON.stringify({ decision: 'approve', reason: MARKER.repeat(2000) }),
  () => JSON.stringify({ files: { 'product.ts': MARKER } }),
  () => JSON.stringify({ id: '../../etc/passwd', name: MARKER }),
  () => JSON.stringify({ capFen: -1, pricePerCallFen: 1e300, pick: 'x', scenario: 'scn-zz' }),
  () => JSON.stringify({ expiresOn: '9999-99-99', approveRest: 'yes', approve: { x: { rule: MARKER } } }),
  () => JSON.stringify(Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i]))),
  () => 'x'.repeat(2_000_000),
]

const PATH_VALUES = ['x', MARKER, 'scn-0000000000', 'rel-0', '%2e%2e', 'a'.repeat(300), '1.0.0', 'enterprise-credit-score']

type Operation = { readonly method: string; readonly path: string }

async function operations(): Promise<Operation[]> {
  const doc = (await (await fetch(new URL('/docs/json', base))).json()) as { paths: Record<string, Record<string, unknown>> }
  return Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })))
}

function record(request: string, status: number, body: string, headers: Headers | undefined): void {
  requests++
  statuses[status] = (statuses[status] ?? 0) + 1
  if (status >= 500) findings.push({ request, status, body: body.slice(0, 300), why: '5xx' })
  if (status >= 400) {
    let code: unknown
    try {
      code = (JSON.parse(body) as { code?: unknown }).code
    } catch {
      code = undefined
    }
    if (typeof code !== 'string' || !/^ERR_[A-Z_]+$/.test(code)) findings.push({ request, status, body: body.slice(0, 300), why: 'no catalogue code' })
    if (body.includes(MARKER)) findings.push({ request, status, body: body.slice(0, 300), why: 'echoes the request' })
    if (headers !== undefined && !(headers.get('content-type') ?? '').includes('application/json')) findings.push({ request, status, body: body.slice(0, 100), why: 'not JSON' })
  }
}

async function call(method: string, path: string, bearer: string | undefined, body: string | undefined, extra: Record<string, string> = {}): Promise<void> {
  const headers: Record<string, string> = { ...extra }
  if (bearer !== undefined) headers.authorization = `Bearer ${bearer}`
  if (body !== undefined) headers['content-type'] = random() < 0.9 ? 'application/json' : pick(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'])
  try {
    const r = await fetch(new URL(path, base), { method, headers, ...(body === undefined || method === 'GET' || method === 'HEAD' ? {} : { body }), signal: AbortSignal.timeout(30_000) })
    record(`${method} ${path}`, r.status, method === 'HEAD' ? '{"code":"ERR_HEAD"}' : await r.text(), method === 'HEAD' ? undefined : r.headers)
  } catch (error) {
    // a server may close an oversized upload before reading it all (having answered 413): the client sees a reset
    if ((body?.length ?? 0) > 64 * 1024) return
    findings.push({ request: `${method} ${path}`, status: 0, body: String(error).slice(0, 200), why: 'no answer' })
  }
}

/** What a client library would not send: written on a socket as it is. */
function raw(text: string, incomplete = false): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname)
    let answer = ''
    // a request that never arrives whole may wait for the server's request timeout; nothing to report then
    socket.setTimeout(incomplete ? 5_000 : 30_000, () => {
      if (incomplete && answer === '') {
        socket.removeAllListeners('close')
        socket.destroy()
        resolve()
      } else socket.destroy()
    })
    socket.on('data', (d) => (answer += d.toString('latin1')))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(answer)
      if (m === null) {
        // the parser may close without an answer only when nothing was sent whole
        findings.push({ request: text.slice(0, 80), status: 0, body: answer.slice(0, 200), why: 'no answer' })
      } else {
        const status = Number(m[1])
        const body = answer.slice(answer.indexOf('\r\n\r\n') + 4)
        record(text.slice(0, 80), status, body.replace(/^[0-9a-f]+\r\n/, '').replace(/\r\n0\r\n\r\n$/, ''), undefined)
      }
      resolve()
    })
    // no half-close: the request says `Connection: close`, and the server ends the connection
    socket.write(text)
  })
}

const RAW_REQUESTS = [
  `GET /%zz${MARKER} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
  `GET /v1/products/${MARKER}%ff%fe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
  `GET /${MARKER}${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
  `GET /v1/products HTTP/1.1\r\nHost: x\r\nX-Big: ${MARKER}${'b'.repeat(70_000)}\r\nConnection: close\r\n\r\n`,
  `BREW /v1/products HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
  `GET /v1/products HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n`,
  `GET /console/../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
  `GET /console/%2e%2e/%2e%2e/package.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
  `GET /console/index.html HTTP/1.1\r\nHost: x\r\nRange: bytes=999999999-\r\nConnection: close\r\n\r\n`,
  `GET /console/index.html HTTP/1.1\r\nHost: x\r\nIf-Match: "${MARKER}"\r\nConnection: close\r\n\r\n`,
  `GET /console/index.html HTTP/1.1\r\nHost: x\r\nIf-Unmodified-Since: Thu, 01 Jan 1970 00:00:00 GMT\r\nConnection: close\r\n\r\n`,
  `GET /console/.hidden HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
  `GET /console/%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
]

const ops = await operations()
const raws = Promise.all([
  ...RAW_REQUESTS.map((text) => raw(text)),
  raw(`POST /v1/products/x/invoke HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\nConnection: close\r\n\r\n{"a"`, true),
])
const workers = Array.from({ length: 6 }, async () => {
  while (Date.now() < deadline) {
    const op = pick(ops)
    const path = op.path.replace(/\{[A-Za-z]+\}|:[A-Za-z]+/g, () => encodeURIComponent(pick(PATH_VALUES)))
    const query = random() < 0.3 ? `?${pick(['limit=0', 'limit=abc', `month=${MARKER}`, 'order=sideways', `involving=${MARKER}`, 'since=not-a-date', 'after=-1', 'a[b]=c'])}` : ''
    const method = random() < 0.05 ? pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']) : op.method
    await call(method, `${path}${query}`, credentials[pick(Object.keys(credentials))], op.method === 'GET' ? undefined : pick(BODIES)())
  }
})
await Promise.all([...workers, raws])
process.stdout.write(`${JSON.stringify({ requests, statuses, findings: findings.slice(0, 50), findingCount: findings.length })}\n`)
