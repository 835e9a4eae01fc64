/**
 * Names instead of ids: product titles and partner and consumer names, from the lists the signed-in
 * role may read (everyone the public product list; operators also every version, partner and
 * consumer; a partner its own versions and name). Loaded once per credential; an id nobody named is
 * shown as the id.
 */
import { createContext } from 'preact'
import { useContext, useEffect, useState } from 'preact/hooks'
import { api } from './api.ts'
import type { Session } from './session.ts'

export type Directory = {
  readonly products: ReadonlyMap<string, string>
  readonly partners: ReadonlyMap<string, string>
  readonly consumers: ReadonlyMap<string, string>
}

const EMPTY: Directory = { products: new Map(), partners: new Map(), consumers: new Map() }

type Titled = { id?: string; product?: string; title: string }
const titles = (rows: readonly Titled[]): [string, string][] => rows.map((r) => [r.id ?? r.product ?? '', r.title])
const quietly = <T>(p: Promise<T>, fallback: T): Promise<T> => p.catch(() => fallback)

async function loadDirectory(session: Session | undefined): Promise<Directory> {
  const credential = session?.credential ?? null
  const listed = (await quietly(api<{ products: (Titled & { partner: string; partnerName: string | null })[] }>('/v1/products'), { products: [] })).products
  const products: [string, string][] = [...titles(listed)]
  // the public list names each product's provider, for everyone
  const partners: [string, string][] = listed.flatMap((p) => (p.partnerName === null ? [] : [[p.partner, p.partnerName] as [string, string]]))
  const consumers: [string, string][] = []
  if (session?.role === 'operator') {
    const [versions, ps, cs] = await Promise.all([
      quietly(api<{ versions: Titled[] }>('/v1/operator/versions', { credential }), { versions: [] }),
      quietly(api<{ partners: { id: string; name: string }[] }>('/v1/operator/partners', { credential }), { partners: [] }),
      quietly(api<{ consumers: { id: string; name: string }[] }>('/v1/operator/consumers', { credential }), { consumers: [] }),
    ])
    // a product's published title wins over an older version's
    products.unshift(...titles(versions.versions))
    partners.push(...ps.partners.map((p) => [p.id, p.name] as [string, string]))
    consumers.push(...cs.consumers.map((c) => [c.id, c.name] as [string, string]))
  }
  if (session?.role === 'consumer') {
    const own = await quietly(api<{ consumer: string; consumerName?: string }>('/v1/usage', { credential }), undefined)
    if (own?.consumerName !== undefined) consumers.push([own.consumer, own.consumerName])
  }
  if (session?.role === 'auditor') {
    const parties = await quietly(api<{ partners: { id: string; name: string }[]; consumers: { id: string; name: string }[] }>('/v1/audit/parties', { credential }), { partners: [], consumers: [] })
    partners.push(...parties.partners.map((p) => [p.id, p.name] as [string, string]))
    consumers.push(...parties.consumers.map((c) => [c.id, c.name] as [string, string]))
  }
  if (session?.role === 'partner') {
    const [mine, me] = await Promise.all([
      quietly(api<{ versions: Titled[]; published: Titled[] }>('/v1/partner/products', { credential }), { versions: [], published: [] }),
      quietly(api<{ id: string; name: string }>('/v1/partner', { credential }), undefined),
    ])
    products.unshift(...titles(mine.versions), ...titles(mine.published))
    if (me !== undefined) partners.push([me.id, me.name])
  }
  return { products: new Map(products.filter(([id]) => id !== '')), partners: new Map(partners), consumers: new Map(consumers) }
}

const loaded = new Map<string, Promise<Directory>>()

/** The directory for a session, loaded once per credential (`refresh` loads it again, after a change). */
export function useLoadedDirectory(session: Session | undefined): { directory: Directory; refresh(): void } {
  const key = session?.credential ?? ''
  const [directory, setDirectory] = useState<Directory>(EMPTY)
  const [generation, setGeneration] = useState(0)
  useEffect(() => {
    let current = true
    if (!loaded.has(key)) loaded.set(key, loadDirectory(session))
    void loaded.get(key)!.then((d) => current && setDirectory(d))
    return () => {
      current = false
    }
  }, [key, generation])
  return {
    directory,
    refresh: () => {
      loaded.delete(key)
      setGeneration((g) => g + 1)
    },
  }
}

export const DirectoryContext = createContext<{ directory: Directory; refresh(): void }>({ directory: EMPTY, refresh: () => undefined })

export function useDirectory(): Directory {
  return useContext(DirectoryContext).directory
}

/** Loads the names again (a partner or consumer was added or renamed, a product published). */
export function useRefreshDirectory(): () => void {
  return useContext(DirectoryContext).refresh
}
