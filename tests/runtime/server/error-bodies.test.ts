/**
 * Errors that help, through the server: every error answer carries a fixed message (one text per
 * code where the cause could tell a consumer something: an entity absent or filtered out, which way
 * a product failed, why credentials or a consent were refused); a caller's mistake says what is
 * wrong where; an identifier with a wrong check digit is the caller's typo (400 at its input field,
 * before anything is looked up) while a well-formed one the scenario holds no record of is 404, the
 * same answer whether it was never recorded or the scenario's row filters leave it out; and
 * 企业欠税等级评估 grades a registered enterprise without any tax record as unrated (48), as its
 * README promises.
 */
import { readFileSync } from 'node:fs'
import { connect, type AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LightMyRequestResponse } from 'fastify'
import { makeUscc } from '../../../catalog/identifiers/uscc.ts'
import { createAttackServer, elderlyReportSource, enterpriseAnswerSource, personAnswerSource, type AttackServer } from '../../helpers/attack-server.ts'

const TAX = 'enterprise-tax-arrears-grade'
const REPORT = 'elderly-count'
let s: AttackServer
/** Registered enterprises without any tax record: one operating, one deregistered (left out by the scenario's row filter). */
const untaxed = { operating: '', closed: '' }
/** A valid code of no enterprise in the store. */
const unknown = makeUscc('9', '1', '350100', 'M000100Y')
let person: string

/** The same code with its last check character changed. */
const withWrongCheck = (code: string) => code.slice(0, -1) + (code.endsWith('0') ? '1' : '0')
/** An answer as a client reads it, without what differs on every call. */
const answer = (r: LightMyRequestResponse) => {
  const { requestId, ...body } = r.json() as Record<string, unknown>
  expect(requestId).toMatch(/^req-/)
  return { status: r.statusCode, contentType: r.headers['content-type'], body }
}

beforeAll(async () => {
  s = await createAttackServer(2000, 'server')
  // the scenario leaves deregistered enterprises' registrations out
  await s.publish(readFileSync(`products/${TAX}/product.ts`, 'utf8'), { decision: { rowFilters: { enterprise_basic: { field: 'status', values: ['存续', '在业'] } } } })
  await s.publish(personAnswerSource('person-probe', "return { value: 'ok' }"))
  await s.publish(enterpriseAnswerSource('thrower', "throw new Error('SECRET-' + input.uscc + '-' + ctx.rows('enterprise_basic')[0].name)"))
  await s.publish(elderlyReportSource(REPORT, { classify: "return { aggregates: { by_district: { by: { district: unit.rows('elderly_info')[0].district_code } } } }" }))
  const noTaxRecord = (statuses: string) =>
    s.sample.storeRows(
      `SELECT uscc FROM enterprise_basic WHERE status IN (${statuses}) AND uscc NOT IN (SELECT taxpayer_uscc FROM tax_arrears) AND uscc NOT IN (SELECT taxpayer_uscc FROM tax_credit_rating) ORDER BY uscc LIMIT 1`,
    )
  untaxed.operating = String((await noTaxRecord("'存续', '在业'"))[0]!.uscc)
  untaxed.closed = String((await noTaxRecord("'注销', '吊销'"))[0]!.uscc)
  expect(await s.sample.storeRows(`SELECT uscc FROM enterprise_basic WHERE uscc = $1`, [unknown])).toEqual([])
  person = String((await s.sample.storeRows(`SELECT resident_id FROM household_registration ORDER BY resident_id LIMIT 1`))[0]!.resident_id)
}, 180_000)

afterAll(() => s.close())

describe('every error answer carries its fixed message', () => {
  it('credentials that fail: one message whatever failed, never the key', async () => {
    const call = (authorization?: string) =>
      s.server.app.inject({ method: 'POST', url: `/v1/products/${TAX}/invoke`, headers: authorization === undefined ? {} : { authorization }, payload: { input: { uscc: untaxed.operating } } })
    const answers = [await call(), await call('Bearer idk_not-a-key-7731'), await call('Basic eDp5')].map(answer)
    for (const a of answers) expect(a).toEqual({ status: 401, contentType: 'application/json; charset=utf-8', body: { code: 'ERR_AUTH_REQUIRED', message: 'Valid credentials are required' } })
    expect(JSON.stringify(answers)).not.toContain('not-a-key-7731')
    // positive control: the consumer's key is let in
    expect((await call(`Bearer ${await s.consumerKey('bank-a')}`)).statusCode).toBe(200)
  })

  it('a product that throws: the catalogue\'s message, never the product\'s', async () => {
    const r = await s.invoke('thrower', { uscc: untaxed.operating })
    expect(answer(r).body).toEqual({ code: 'ERR_SANDBOX_THREW', message: 'The product failed' })
    expect(r.body).not.toContain('SECRET')
    expect(r.body).not.toContain(untaxed.operating)
  })

  it('a consent missing: the catalogue\'s message, not why it failed', async () => {
    const r = await s.invoke('person-probe', { id: person })
    expect(answer(r)).toMatchObject({ status: 403, body: { code: 'ERR_CONSENT_REQUIRED', message: 'A valid consent of the data subject is required' } })
    // positive control: with the person's consent the call goes through
    expect((await s.invoke('person-probe', { id: person }, 'bank-a', s.consent(person, 'person-probe'))).statusCode).toBe(200)
  })

  it('a body that is not JSON, and a server warming up, say what to do', async () => {
    const plain = await s.server.app.inject({ method: 'POST', url: `/v1/products/${TAX}/invoke`, headers: { authorization: `Bearer ${await s.consumerKey('bank-a')}`, 'content-type': 'application/xml' }, payload: '<uscc/>' })
    expect(answer(plain)).toMatchObject({ status: 415, body: { code: 'ERR_UNSUPPORTED_MEDIA_TYPE', message: 'Send JSON (content-type: application/json)' } })
    const warming = await s.server.app.inject({ url: '/v1/ready' })
    expect(answer(warming)).toMatchObject({ status: 503, body: { code: 'ERR_NOT_READY', message: 'The server is warming up: GET /v1/ready answers 200 once it is ready' } })
    // positive control: once warm it is ready
    expect(await s.server.warm()).toEqual({ failed: [] })
    expect((await s.server.app.inject({ url: '/v1/ready' })).statusCode).toBe(200)
  })
})

describe('the HTTP parser\'s own refusals', () => {
  it('headers too large: answered at the socket with the code and its message', async () => {
    await s.server.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = s.server.app.server.address() as AddressInfo
    const ask = (headers: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(`GET /health HTTP/1.1\r\nHost: x\r\n${headers}Connection: close\r\n\r\n`))
        let text = ''
        socket.on('data', (chunk) => (text += chunk.toString()))
        socket.on('end', () => resolve(text))
        socket.on('error', reject)
      })
    const refused = await ask(`X-Filler: ${'a'.repeat(64 * 1024)}\r\n`)
    expect(refused).toMatch(/^HTTP\/1\.1 431 /)
    expect(JSON.parse(refused.slice(refused.indexOf('\r\n\r\n') + 4))).toEqual({ code: 'ERR_HEADERS_TOO_LARGE', message: 'The request\'s headers are too large' })
    // positive control: ordinary headers are served
    expect(await ask('X-Filler: a\r\n')).toMatch(/^HTTP\/1\.1 200 /)
  })
})

describe('an identifier with a wrong check digit is the caller\'s typo', () => {
  it('a USCC: 400 at input:/uscc, never the value; the valid code of the same enterprise is served', async () => {
    const typo = withWrongCheck(untaxed.operating)
    const r = await s.invoke(TAX, { uscc: typo })
    expect(answer(r)).toEqual({
      status: 400,
      contentType: 'application/json; charset=utf-8',
      body: {
        code: 'ERR_PARAMS_INVALID',
        message: 'The check digit (position 18) of the unified social credit code is invalid (GB 32100-2015)',
        problems: [{ path: 'input:/uscc', problem: 'The check digit (position 18) of the unified social credit code is invalid (GB 32100-2015)' }],
      },
    })
    expect(r.body).not.toContain(typo)
    expect((await s.invoke(TAX, { uscc: untaxed.operating })).statusCode).toBe(200)
  })

  it('the organisation code\'s check digit (position 17) is named apart', async () => {
    const code = untaxed.operating
    const typo = code.slice(0, 16) + (code[16] === '0' ? '1' : '0') + code[17]
    const r = await s.invoke(TAX, { uscc: typo })
    expect(answer(r).body).toMatchObject({ code: 'ERR_PARAMS_INVALID', problems: [{ path: 'input:/uscc', problem: expect.stringContaining('position 17') }] })
  })

  it('is refused before any lookup: the same answer whether the enterprise exists or not', async () => {
    const existing = answer(await s.invoke(TAX, { uscc: withWrongCheck(untaxed.operating) }))
    const absent = answer(await s.invoke(TAX, { uscc: withWrongCheck(unknown) }))
    expect(absent).toEqual(existing)
    expect(existing.status).toBe(400)
  })

  it('a resident ID: 400 at its input field before consent is asked for; the valid ID goes on to the consent check', async () => {
    const before = s.audit().filter((e) => e.action === 'consent.refused').length
    const typo = withWrongCheck(person)
    const r = await s.invoke('person-probe', { id: typo })
    expect(answer(r).body).toEqual({
      code: 'ERR_PARAMS_INVALID',
      message: 'The check digit (position 18) of the resident ID number is invalid (GB 11643-1999)',
      problems: [{ path: 'input:/id', problem: 'The check digit (position 18) of the resident ID number is invalid (GB 11643-1999)' }],
    })
    expect(r.body).not.toContain(typo)
    expect(s.audit().filter((e) => e.action === 'consent.refused').length).toBe(before)
    // positive control: the valid ID without a consent is refused for the consent, and that refusal is audited
    expect((await s.invoke('person-probe', { id: person })).json()).toMatchObject({ code: 'ERR_CONSENT_REQUIRED' })
    expect(s.audit().filter((e) => e.action === 'consent.refused').length).toBe(before + 1)
  })
})

describe('a well-formed identifier without a record', () => {
  it('is 404 with one answer whether never recorded or left out by the scenario\'s row filter', async () => {
    const absent = answer(await s.invoke(TAX, { uscc: unknown }))
    const filtered = answer(await s.invoke(TAX, { uscc: untaxed.closed }))
    expect(absent).toEqual({ status: 404, contentType: 'application/json; charset=utf-8', body: { code: 'ERR_ENTITY_NOT_FOUND', message: 'No record of this entity in the product\'s scenario' } })
    expect(filtered).toEqual(absent)
    // positive control: the filtered enterprise is in the store, registered like the operating one that is served
    expect(await s.sample.storeRows(`SELECT uscc FROM enterprise_basic WHERE uscc = $1`, [untaxed.closed])).toHaveLength(1)
    expect((await s.invoke(TAX, { uscc: untaxed.operating })).statusCode).toBe(200)
  })
})

describe('企业欠税等级评估 for an enterprise without any tax record', () => {
  it('answers 48, unrated, as its README promises; an unknown code stays 404', async () => {
    const r = await s.invoke(TAX, { uscc: untaxed.operating })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json().result).toEqual({ riskScore: 48, grade: 'C', outstanding: '无', taxCreditGrade: '无', reasons: ['无纳税信用评价'] })
    expect((await s.invoke(TAX, { uscc: unknown })).statusCode).toBe(404)
  })
})

describe('a caller\'s mistake says what is wrong where', () => {
  it('a report invoked, or a one-entity product run: 400 at path:/id naming the right call', async () => {
    const invoked = answer(await s.invoke(REPORT, { spin: 1, district: '' }))
    expect(invoked).toMatchObject({ status: 400, body: { code: 'ERR_PARAMS_INVALID', problems: [{ path: 'path:/id', problem: expect.stringContaining('/runs') }] } })
    const ran = answer(await s.run(TAX, { uscc: untaxed.operating }))
    expect(ran).toMatchObject({ status: 400, body: { code: 'ERR_PARAMS_INVALID', problems: [{ path: 'path:/id', problem: expect.stringContaining('/invoke') }] } })
    // positive control: the report runs
    expect((await s.run(REPORT, { spin: 1, district: '' })).statusCode).toBe(202)
  })

  it('a reviewer approving a release twice: 409, a second, different operator must approve; the second operator signs it', async () => {
    const run = await s.run(REPORT, { spin: 2, district: '' })
    expect(run.statusCode, run.body).toBe(202)
    const releaseId = (run.json() as { releaseId: string }).releaseId
    const review = (operator: string) =>
      s.server.app.inject({ method: 'POST', url: `/v1/operator/releases/${releaseId}/review`, headers: { authorization: `Bearer ${s.operatorToken(operator)}` }, payload: { decision: 'approve' } })
    expect((await review('op-li')).json()).toMatchObject({ signed: false })
    const again = answer(await review('op-li'))
    expect(again).toMatchObject({ status: 409, body: { code: 'ERR_CONFLICT', message: expect.stringMatching(/second, different operator/) } })
    // positive control: another operator's approval completes the review
    expect((await review('op-wang')).json()).toMatchObject({ signed: true })
  })
})
