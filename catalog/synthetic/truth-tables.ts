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
} as const satisfies Record<string, readonly TruthColumn[]>

export type TruthTableName = keyof typeof TRUTH_TABLES
