/** Who is who: the platform's roles (runtime/state/principals.ts) and the consumers' API keys. */
import type { PlatformRole } from '../state/principals.ts'
import type { Names } from './names.ts'

export const ROLE_NAMES = {
  operator: ['运营人员', 'Operator'],
  auditor: ['审计人员', 'Auditor'],
  partner: ['合作方', 'Partner'],
  consumer: ['数据使用方', 'Consumer'],
} as const satisfies Record<PlatformRole | 'consumer', Names>
