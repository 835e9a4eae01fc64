/**
 * Writes every catalog table of the synthetic world, plus its ground truth, to a sink.
 */
import { generateWorld, type WorldOptions } from './world.ts'
import type { TableSink } from './table-sink.ts'
import { writeElderlyInfo, writeHouseholdRegistration, writeVehicles } from './write-people.ts'
import { writeDishonestDebtors, writeEnterpriseBasic, writeTaxArrears, writeTaxCreditRating } from './write-enterprises.ts'
import { writeHousingFundPayment, writeSocialInsuranceEnrollment, writeSocialInsurancePayment } from './write-contributions.ts'
import { writeMortgages, writePropertyRightHolders, writeRealEstate, writeRentalRegistration, writeStandardAddress } from './write-property.ts'
import { planUsageEvents, UTILITIES, writeOccupancyTruth, writeUtilityUsage } from './write-utilities.ts'
import { planBusNetwork, writeBusCardSwipes, writeBusRoutes } from './write-bus.ts'
import { writeEnterpriseTruth, writePersonTruth } from './write-truth.ts'
import { createDeliverySink } from './delivery.ts'
import { UTILITY_PERIODS } from './calendar.ts'

/** Catalog tables the generator fills, in the order it writes them. */
export const SYNTHETIC_TABLES = [
  'household_registration', 'elderly_info', 'vehicle', 'enterprise_basic', 'tax_arrears', 'tax_credit_rating',
  'dishonest_debtor', 'social_insurance_enrollment', 'social_insurance_payment', 'housing_fund_payment',
  'standard_address', 'real_estate', 'property_right_holder', 'mortgage', 'rental_registration', 'water_usage',
  'gas_usage', 'power_usage', 'bus_route', 'bus_stop', 'bus_card_swipe',
] as const

export type GenerateStep = { readonly step: string; readonly done: number; readonly total: number }

export function generateSyntheticData(options: WorldOptions, store: TableSink, onStep?: (s: GenerateStep) => void): void {
  // every catalog table reaches the store as its department delivers it (delivery.ts)
  const sink = createDeliverySink(store, String(options.seed), UTILITY_PERIODS.at(-1)!)
  const steps: [string, () => void][] = []
  let world: ReturnType<typeof generateWorld> | undefined
  const w = () => world!
  steps.push(['world', () => (world = generateWorld(options))])
  steps.push(['household_registration', () => writeHouseholdRegistration(w(), sink)])
  steps.push(['elderly_info', () => writeElderlyInfo(w(), sink)])
  steps.push(['vehicle', () => writeVehicles(w(), sink)])
  steps.push(['enterprise_basic', () => writeEnterpriseBasic(w(), sink)])
  steps.push(['tax_arrears', () => writeTaxArrears(w(), sink)])
  steps.push(['tax_credit_rating', () => writeTaxCreditRating(w(), sink)])
  steps.push(['dishonest_debtor', () => writeDishonestDebtors(w(), sink)])
  steps.push(['social_insurance_enrollment', () => writeSocialInsuranceEnrollment(w(), sink)])
  steps.push(['social_insurance_payment', () => writeSocialInsurancePayment(w(), sink)])
  steps.push(['housing_fund_payment', () => writeHousingFundPayment(w(), sink)])
  steps.push(['standard_address', () => writeStandardAddress(w(), sink)])
  steps.push(['real_estate', () => writeRealEstate(w(), sink)])
  steps.push(['property_right_holder', () => writePropertyRightHolders(w(), sink)])
  steps.push(['mortgage', () => writeMortgages(w(), sink)])
  steps.push(['rental_registration', () => writeRentalRegistration(w(), sink)])
  let events: ReturnType<typeof planUsageEvents> | undefined
  for (const utility of UTILITIES) {
    steps.push([utility.table, () => writeUtilityUsage(w(), sink, utility, (events ??= planUsageEvents(w())))])
  }
  let network: ReturnType<typeof planBusNetwork> | undefined
  steps.push(['bus_route', () => writeBusRoutes(w(), sink, (network = planBusNetwork(w())))])
  steps.push(['bus_card_swipe', () => writeBusCardSwipes(w(), sink, network!)])
  steps.push(['ground_truth', () => {
    writeOccupancyTruth(w(), sink, events!)
    writeEnterpriseTruth(w(), sink)
    writePersonTruth(w(), sink)
  }])
  steps.forEach(([name, run], i) => {
    onStep?.({ step: name, done: i, total: steps.length })
    run()
  })
  onStep?.({ step: 'done', done: steps.length, total: steps.length })
}
