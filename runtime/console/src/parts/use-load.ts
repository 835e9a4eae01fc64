/** Loads something for a screen, with its error kept for the screen to show, and a reload. */
import { useCallback, useEffect, useState } from 'preact/hooks'

export type Loaded<T> = { readonly data: T | undefined; readonly error: unknown; readonly loading: boolean; reload(): void }

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined)
  const [error, setError] = useState<unknown>(undefined)
  const [loading, setLoading] = useState(true)
  const [generation, setGeneration] = useState(0)
  useEffect(() => {
    let current = true
    setLoading(true)
    load().then(
      (d) => {
        if (!current) return
        setData(d)
        setError(undefined)
        setLoading(false)
      },
      (e: unknown) => {
        if (!current) return
        setError(e)
        setLoading(false)
      },
    )
    return () => {
      current = false
    }
    // `load` is a new function each render: the caller names what it depends on in `deps`
  }, [...deps, generation])
  const reload = useCallback(() => setGeneration((g) => g + 1), [])
  return { data, error, loading, reload }
}
