/**
 * One "replica" of the state, in a process of its own, for the replica tests: opens the state at
 * argv[2] and races `count` metered operations of kind argv[3], then prints what each returned
 * as one JSON line. Run with the project's Node (type stripping runs it as it is).
 */
import { openState } from '../../runtime/state/state.ts'

const [location, kind, countText, tag] = process.argv.slice(2)
const count = Number(countText)
const state = await openState(location!)
const attempt = async (i: number): Promise<unknown> => {
  try {
    switch (kind) {
      case 'consent':
        return await state.releases.useConsent('jti-shared')
      case 'quota':
        return await state.releases.reserveQuota('bank-a', '2026-12', 25)
      case 'privacy':
        return await state.releases.spendPrivacy({ consumer: 'bank-a', scenario: 'scn-1', epsilon: 1, budget: 7, periodDays: 30 })
      case 'volume':
        return (await state.releases.volume('bank-a', 'credit', `entity-${tag}-${i}`, 12, 30)).length === 0
      case 'review':
        return (await state.releases.decide('rel-queued', `op-${i % 3}`, 'approve')).decisions.length
      default:
        throw new Error(`unknown kind ${kind}`)
    }
  } catch (error) {
    return { error: (error as { code?: string }).code ?? String(error) }
  }
}
const results = await Promise.all(Array.from({ length: count }, (_, i) => attempt(i)))
await state.close()
process.stdout.write(`${JSON.stringify(results)}\n`)
