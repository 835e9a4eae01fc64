/**
 * The accounts side of governance, one call each (the change and its audit entry in one
 * transaction), whichever front door asks: consumers and their standing, price caps, a held
 * product's reinstatement, operators' and auditors' standing, platform tokens, a partner's
 * registration and its scenario requests, an operator's publication of a product.
 */
import { paramsInvalid, RuntimeError } from '../errors.ts'
import type { Scenario, ScenarioRequestInput } from '../scenarios/scenario.ts'
import type { LoadedProduct } from '../products/run-product.ts'
import { publishProduct } from '../server/publish-product.ts'
import type { Consumer, PublishedProduct } from '../server/registry.ts'
import { issuePlatformToken } from '../server/platform-tokens.ts'
import { STANDING_CHANGES, type PartnerRegistration, type PlatformRole, type Principal } from '../state/principals.ts'
import { auditedChange, type GovernanceDeps } from './governance-deps.ts'
import { cityDay, cityDayStart } from '../city-calendar.ts'

export type AccountGovernance = {
  /** A new consumer and its API key (shown once; only its digest is kept). */
  addConsumer(operator: string, id: string, name: string, monthlyQuota: number | null): Promise<{ readonly consumer: Consumer; readonly apiKey: string }>
  setConsumerStanding(operator: string, id: string, action: 'suspend' | 'reinstate', reason: string): Promise<Consumer>
  /** The operator's price cap for a product (分 per call); prices above it come down to it. */
  capPrice(operator: string, product: string, capFen: number): Promise<void>
  /** A product held after repeated failures comes back only by an operator's decision, with a reason. */
  reinstateProduct(operator: string, product: string, reason: string): Promise<void>
  /** Keeps a retired version callable, by consumers that name it, through a day (or no longer: null). */
  keepCallable(operator: string, product: string, version: string, until: string | null): Promise<PublishedProduct>
  setPrincipalStanding(operator: string, role: 'operator' | 'auditor', id: string, action: keyof typeof STANDING_CHANGES, reason: string): Promise<Principal>
  /** A platform token for an active (or not yet recorded) holder; a refusal is audited too. */
  issueToken(issuer: string, role: PlatformRole, subject: string, ttlSeconds: number): Promise<string>
  registerPartner(partner: string, registration: PartnerRegistration): Promise<Principal>
  requestScenario(actor: string, request: ScenarioRequestInput): Promise<Scenario>
  /** An operator publishes a loaded product under its approved scenario (the command line's `product publish`). */
  publish(operator: string, product: LoadedProduct, options: { readonly dir: string; readonly partner: string; readonly scenario: Scenario; readonly priceFen: number }): Promise<PublishedProduct>
}

export function createAccountGovernance(deps: GovernanceDeps): AccountGovernance {
  const { state } = deps
  const inOne = auditedChange(deps)
  return {
    addConsumer: (operator, id, name, monthlyQuota) => inOne(async (audit) => {
      const added = await state.registry.addConsumer(id, name, monthlyQuota)
      await audit({ actor: operator, action: 'consumer.added', subject: id, detail: { monthlyQuota } })
      return added
    }),
    setConsumerStanding: (operator, id, action, reason) => inOne(async (audit) => {
      const consumer = await state.registry.setConsumerStatus(id, STANDING_CHANGES[action].status)
      await audit({ actor: operator, action: `consumer.${STANDING_CHANGES[action].done}`, subject: id, detail: { reason } })
      return consumer
    }),
    capPrice: (operator, product, capFen) => inOne(async (audit) => {
      await state.registry.setPriceCap(product, capFen, operator)
      await audit({ actor: operator, action: 'product.price_capped', subject: product, detail: { capFen } })
    }),
    reinstateProduct: (operator, product, reason) => inOne(async (audit) => {
      if (!(await state.registry.releaseHold(product))) throw new RuntimeError('ERR_CONFLICT', 'The product is not held', { details: { product } })
      await audit({ actor: operator, action: 'product.reinstated', subject: product, detail: { reason } })
    }),
    keepCallable: (operator, product, version, until) => inOne(async (audit) => {
      if (until !== null && (cityDayStart(until) === undefined || until < cityDay())) throw paramsInvalid('A day to stay callable is a real date, today or later (Beijing)', 'body:/until')
      const kept = await state.registry.setCallableUntil(product, version, until)
      await audit({ actor: operator, action: 'product.kept_callable', subject: `${product}@${version}`, detail: { until } })
      return kept
    }),
    setPrincipalStanding: (operator, role, id, action, reason) => inOne(async (audit) => {
      // a holder who never used a token has no record yet: make one, so that its tokens die too
      await state.principals.ensure(role, id, id)
      const principal = await state.principals.setStatus(role, id, STANDING_CHANGES[action].status)
      await audit({ actor: operator, action: `principal.${STANDING_CHANGES[action].done}`, subject: `${role}:${id}`, detail: { reason } })
      return principal
    }),
    async issueToken(issuer, role, subject, ttlSeconds) {
      const holder = await state.principals.get(role, subject)
      if (holder !== undefined && holder.status !== 'active') {
        // the refusal is kept although nothing changes
        await deps.trail.append({ actor: issuer, action: 'token.refused', subject: `${role}:${subject}`, detail: { status: holder.status } })
        throw new RuntimeError('ERR_CONFLICT', 'A suspended or revoked holder gets no token', { details: { status: holder.status } })
      }
      const token = issuePlatformToken(deps.keys.active(), { role, id: subject, ttlSeconds })
      await deps.trail.append({ actor: issuer, action: 'token.issued', subject: `${role}:${subject}`, detail: { ttlSeconds } })
      return token
    },
    registerPartner: (partner, registration) => inOne(async (audit) => {
      const registered = await state.principals.registerPartner(partner, registration)
      await audit({ actor: partner, action: 'partner.registered', subject: partner, detail: { uscc: registered.uscc, acknowledgedAt: registered.acknowledgedAt } })
      return registered
    }),
    requestScenario: (actor, request) => inOne(async (audit) => {
      const scenario = await state.scenarios.request(request, deps.catalog)
      await audit({ actor, action: 'scenario.requested', subject: scenario.id, detail: { product: scenario.product, partner: scenario.partner, category: scenario.category, fields: scenario.fields.length } })
      return scenario
    }),
    publish: (operator, product, options) => inOne(async (audit) => {
      const published = await publishProduct(state.registry, deps.catalog, product, options)
      await audit({ actor: operator, action: 'product.published', subject: `${published.id}@${published.version}`, detail: { codeHash: published.codeHash, scenario: options.scenario.id, partner: options.partner, priceFen: published.priceFen } })
      return published
    }),
  }
}
