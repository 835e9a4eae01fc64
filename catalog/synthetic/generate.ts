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
import { planEnterpriseExits } from './enterprise-exits.ts'
import { generateEnterpriseFinances } from './enterprise-finances.ts'
import { planAnnualFiling } from './annual-filing.ts'
import { planPenalties } from './penalties.ts'
import { generateHouseholdIncome } from './household-income.ts'
import { generateDisability } from './disability.ts'
import { planSaleContracts } from './sale-contracts.ts'
import { planHousingSecurity } from './housing-security.ts'
import { writeAnnualReports } from './write-annual-reports.ts'
import { writeAbnormalList, writeSeriousViolations } from './write-market-credit.ts'
import { writeAdministrativePenalties } from './write-penalties.ts'
import { writeDeregistrations, writeRevocations } from './write-enterprise-exits.ts'
import { writeMarriageRegistrations } from './write-marriage.ts'
import { writeDisabledPersons } from './write-disability.ts'
import { writeHousingSecurityAllocations } from './write-housing-security.ts'
import { writeSaleContractFilings } from './write-sale-filing.ts'
import { writeMedicalInsurance } from './write-medical-insurance.ts'
import { writeLoanOutcomeTruth } from './write-loan-outcome.ts'
import { writeFinanceTruth } from './write-finance-truth.ts'
import { writeListingTruth } from './write-listing-truth.ts'
import { writeServiceNeedTruth } from './write-service-need-truth.ts'
import { writeIncomeTruth } from './write-income-truth.ts'

/** Catalog tables the generator fills, in the order it writes them. */
export const SYNTHETIC_TABLES = [
  'household_registration', 'elderly_info', 'vehicle', 'enterprise_basic', 'tax_arrears', 'tax_credit_rating',
  'dishonest_debtor', 'social_insurance_enrollment', 'social_insurance_payment', 'housing_fund_payment',
  'standard_address', 'real_estate', 'property_right_holder', 'mortgage', 'rental_registration', 'water_usage',
  'gas_usage', 'power_usage', 'bus_route', 'bus_stop', 'bus_card_swipe', 'enterprise_annual_report',
  'business_abnormal_list', 'serious_violation_list', 'administrative_penalty', 'enterprise_deregistration',
  'enterprise_revocation', 'marriage_registration', 'disabled_person', 'housing_security_allocation',
  'sale_contract_filing', 'medical_insurance_enrollment',
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
  // latent state the world does not hold, each from a random stream of its own, made when first needed
  const exits = once(() => planEnterpriseExits(w()))
  const finances = once(() => generateEnterpriseFinances(w()))
  const filing = once(() => planAnnualFiling(w(), exits()))
  const penalties = once(() => planPenalties(w(), exits(), finances()))
  const income = once(() => generateHouseholdIncome(w()))
  const disability = once(() => generateDisability(w()))
  const sales = once(() => planSaleContracts(w()))
  const security = once(() => planHousingSecurity(w(), income()))
  steps.push(['enterprise_annual_report', () => writeAnnualReports(w(), sink, finances(), filing(), exits())])
  steps.push(['business_abnormal_list', () => writeAbnormalList(w(), sink, filing())])
  steps.push(['serious_violation_list', () => writeSeriousViolations(w(), sink, filing(), penalties())])
  steps.push(['administrative_penalty', () => writeAdministrativePenalties(w(), sink, penalties())])
  steps.push(['enterprise_deregistration', () => writeDeregistrations(w(), sink, exits(), filing())])
  steps.push(['enterprise_revocation', () => writeRevocations(w(), sink, exits())])
  steps.push(['marriage_registration', () => writeMarriageRegistrations(w(), sink)])
  steps.push(['disabled_person', () => writeDisabledPersons(w(), sink, disability(), income())])
  steps.push(['housing_security_allocation', () => writeHousingSecurityAllocations(w(), sink, security())])
  steps.push(['sale_contract_filing', () => writeSaleContractFilings(w(), sink, sales())])
  steps.push(['medical_insurance_enrollment', () => writeMedicalInsurance(w(), sink, income(), disability())])
  steps.push(['ground_truth', () => {
    writeOccupancyTruth(w(), sink, events!)
    writeEnterpriseTruth(w(), sink)
    writePersonTruth(w(), sink)
    writeLoanOutcomeTruth(w(), sink, finances())
    writeFinanceTruth(w(), sink, finances(), exits())
    writeListingTruth(w(), sink, sales(), security())
    writeServiceNeedTruth(w(), sink, disability())
    writeIncomeTruth(w(), sink, income())
  }])
  steps.forEach(([name, run], i) => {
    onStep?.({ step: name, done: i, total: steps.length })
    run()
  })
  onStep?.({ step: 'done', done: steps.length, total: steps.length })
}

/** A value computed the first time it is asked for. */
function once<T>(make: () => T): () => T {
  let value: T | undefined
  return () => (value ??= make())
}
