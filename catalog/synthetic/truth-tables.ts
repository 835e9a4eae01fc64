/**
 * Ground-truth tables of a synthetic store. They live outside the catalog (schema
 * `ground_truth`): no scenario can request them; evaluations of products read them.
 */
import type { TruthColumn } from './table-sink.ts'

export const TRUTH_TABLES = {
  dwelling_occupancy: [
    { name: 'address_code', type: 'text' },
    { name: 'occupancy', type: 'text' },
    { name: 'true_occupants', type: 'integer' },
  ],
  elderly_incident: [
    { name: 'resident_id', type: 'text' },
    { name: 'address_code', type: 'text' },
    { name: 'incident_period', type: 'text' },
  ],
  person_risk: [
    { name: 'resident_id', type: 'text' },
    { name: 'risk', type: 'decimal' },
  ],
  enterprise_health: [
    { name: 'uscc', type: 'text' },
    { name: 'health', type: 'decimal' },
    { name: 'is_shell', type: 'integer' },
  ],
  /** Each live enterprise: borrowed in the 12 months after the as-of day, fell 30+ days overdue (write-loan-outcome.ts). */
  enterprise_loan_outcome: [
    { name: 'uscc', type: 'text' },
    { name: 'borrower', type: 'integer' },
    { name: 'overdue', type: 'integer' },
  ],
  /** What each enterprise trading in 2024 really turned over, earned and owned that year, 万元 (write-finance-truth.ts). */
  enterprise_finance: [
    { name: 'uscc', type: 'text' },
    { name: 'revenue_2024', type: 'decimal' },
    { name: 'profit_2024', type: 'decimal' },
    { name: 'total_assets_2024', type: 'decimal' },
    { name: 'workforce', type: 'integer' },
  ],
  /** Each adult: own monthly income, their household's per member and its size, and the monthly payment of their running mortgages, yuan (write-income-truth.ts). */
  person_income: [
    { name: 'resident_id', type: 'text' },
    { name: 'monthly_income', type: 'decimal' },
    { name: 'household_per_capita', type: 'decimal' },
    { name: 'household_members', type: 'integer' },
    { name: 'secured_debt_payment', type: 'decimal' },
  ],
  /** Rental listings as advertised, genuine or not, and what is wrong (write-listing-truth.ts). */
  rental_listing: [
    { name: 'listing_id', type: 'text' },
    { name: 'address', type: 'text' },
    { name: 'address_code', type: 'text' },
    { name: 'landlord_name', type: 'text' },
    { name: 'landlord_resident_id', type: 'text' },
    { name: 'area', type: 'decimal' },
    { name: 'monthly_rent', type: 'decimal' },
    { name: 'authentic', type: 'integer' },
    { name: 'problem', type: 'text' },
  ],
  /** Per township or subdistrict: residents in need of elderly or disability services, and the hotspots (write-service-need-truth.ts). */
  service_need_area: [
    { name: 'district_code', type: 'text' },
    { name: 'street', type: 'text' },
    { name: 'residents', type: 'integer' },
    { name: 'elderly', type: 'integer' },
    { name: 'disabled', type: 'integer' },
    { name: 'in_need', type: 'integer' },
    { name: 'need_per_thousand', type: 'decimal' },
    { name: 'hotspot', type: 'integer' },
  ],
} as const satisfies Record<string, readonly TruthColumn[]>

export type TruthTableName = keyof typeof TRUTH_TABLES
