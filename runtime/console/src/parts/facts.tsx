/** A record as a definition list: a label and its value per row, labels in the reader's language. */
import type { ComponentChildren } from 'preact'
import { Fragment } from 'preact'

export type Fact = readonly [label: string, value: ComponentChildren]

export function Facts({ facts, testId }: { facts: readonly (Fact | null | false)[]; testId?: string }) {
  return (
    <dl class="facts" data-testid={testId}>
      {facts.filter((f): f is Fact => Array.isArray(f)).map(([label, value]) => (
        <Fragment key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </Fragment>
      ))}
    </dl>
  )
}
