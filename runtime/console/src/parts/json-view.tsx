/** A JSON value shown as indented text, folded when long (manifests, reports, queued outputs). */
export function JsonView({ value, label, open = false }: { value: unknown; label: string; open?: boolean }) {
  const text = JSON.stringify(value, null, 2) ?? 'null'
  return (
    <details class="json" open={open}>
      <summary>{label}</summary>
      <pre tabIndex={0}>{text.length > 60_000 ? `${text.slice(0, 60_000)}\n…` : text}</pre>
    </details>
  )
}
