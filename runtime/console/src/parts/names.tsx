/**
 * Products, partners, consumers and actors by their names (from the directory of what the role
 * may read), with the id beside them only where a reviewer needs it to tell two apart. An id
 * nobody named is shown as the id, as code.
 */
import { SYSTEM_ACTOR_NAMES } from '../../../dictionary/index.ts'
import { useDirectory } from '../directory.ts'
import { useName, useT } from '../i18n.ts'

function Named({ name, id, withId }: { name: string | undefined; id: string; withId: boolean }) {
  if (name === undefined) return <code>{id}</code>
  return withId ? (
    <>
      {name} <code class="small muted">{id}</code>
    </>
  ) : (
    <span title={id}>{name}</span>
  )
}

/** `fallback`: a title the page has from elsewhere (a disclosure names products off the public list). */
export function ProductName({ id, withId = false, fallback }: { id: string; withId?: boolean; fallback?: string | undefined }) {
  return <Named name={useDirectory().products.get(id) ?? fallback} id={id} withId={withId} />
}

export function PartnerName({ id, withId = false }: { id: string; withId?: boolean }) {
  return <Named name={useDirectory().partners.get(id)} id={id} withId={withId} />
}

export function ConsumerName({ id, withId = false }: { id: string; withId?: boolean }) {
  return <Named name={useDirectory().consumers.get(id)} id={id} withId={withId} />
}

/** Whoever acted: the platform itself, a partner or a consumer by name, anyone else (an operator) by id. */
export function ActorName({ id }: { id: string }) {
  const directory = useDirectory()
  const name = useName()
  if (Object.hasOwn(SYSTEM_ACTOR_NAMES, id)) return <>{name(SYSTEM_ACTOR_NAMES, id)}</>
  return <Named name={directory.partners.get(id) ?? directory.consumers.get(id)} id={id} withId />
}

/** `product@1.0.0` as the product's title and its version. */
export function VersionName({ product, version }: { product: string; version: string }) {
  const t = useT()
  return (
    <>
      <ProductName id={product} /> <span class="muted small">{t('version')} {version}</span>
    </>
  )
}
