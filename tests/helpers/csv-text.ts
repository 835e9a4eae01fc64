/** A department's delivery as CSV text: a header, then rows, an empty cell for null, quoted where needed. */
export function csvText(head: readonly string[], body: readonly (readonly (string | null)[])[]): string {
  const cell = (v: string | null) => (v === null ? '' : /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)
  return [head.join(','), ...body.map((r) => r.map(cell).join(','))].join('\n') + '\n'
}
