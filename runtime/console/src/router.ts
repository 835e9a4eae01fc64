/**
 * Hash routes (`#/releases/rel-…`): the server serves one page and needs no fallback route, and
 * every screen has an address that can be bookmarked or shared between reviewers.
 */
import { useEffect, useState } from 'preact/hooks'

export function currentPath(): string {
  const hash = location.hash.replace(/^#/, '')
  return hash === '' ? '/products' : hash
}

export function useHashPath(): string {
  const [path, setPath] = useState(currentPath())
  useEffect(() => {
    const changed = () => setPath(currentPath())
    addEventListener('hashchange', changed)
    return () => removeEventListener('hashchange', changed)
  }, [])
  return path
}

export function navigate(path: string): void {
  location.hash = path
}

/** `/releases/:id` against `/releases/rel-1` → { id: 'rel-1' }; undefined when it does not match. */
export function matchRoute(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/')
  const got = path.split('?')[0]!.split('/')
  if (want.length !== got.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < want.length; i++) {
    if (want[i]!.startsWith(':')) {
      try {
        params[want[i]!.slice(1)] = decodeURIComponent(got[i]!)
      } catch {
        return undefined
      }
    } else if (want[i] !== got[i]) return undefined
  }
  return params
}
