/** `indomain serve` in a process of its own, resolved once it listens. */
import { spawn, type ChildProcess } from 'node:child_process'

export const BIN = new URL('../../bin/indomain.js', import.meta.url).pathname

export function startServeProcess(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] })
  return new Promise((resolve, reject) => {
    let text = ''
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString()
      if (text.includes('serving on')) resolve(child)
    })
    child.once('exit', () => reject(new Error(`the server exited: ${text.slice(0, 500)}`)))
  })
}
