/**
 * A name in the console's two languages: Chinese first (the city's officers read it), English as
 * the switch. Every catalogue of codes the API answers with (errors, audit actions, checks,
 * refusal reasons, statuses …) has one `Names` per code in this folder, typed against the
 * catalogue, so that a code added without its Chinese name fails the type-check.
 *
 * This folder is bundled into the browser: it imports only types and node-free constants.
 */
export type Names = readonly [zh: string, en: string]
export type Language = 'zh' | 'en'

/** The name of `code` in `language`; undefined for a code the dictionary does not know. */
export function nameOf(dictionary: Readonly<Record<string, Names>>, code: string, language: Language): string | undefined {
  // codes come from the server: only own members count (never `toString` or `__proto__`)
  if (!Object.hasOwn(dictionary, code)) return undefined
  return dictionary[code]![language === 'zh' ? 0 : 1]
}
