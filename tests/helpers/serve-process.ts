/** `indomain` commands in processes of their own (a server, a decryption service), resolved once they say they listen. */
import { spawn, type ChildProcess } from 'node:child_process'

export const BIN = new URL('../../bin/indomain.js', import.meta.url).pathname

/** Runs `indomain …args`, resolving when its stderr says `ready`; rejects if it exits first. */
export function startIndomainProcess(args: readonly string[], env: NodeJS.ProcessEnv, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] })
  return new Promise((resolve, reject) => {
    let text = ''
    child.stderr!.on('data', (d: Buffer) => {
      text += d.toString()
      if (text.includes(ready)) resolve(child)
    })
    child.once('exit', () => reject(new Error(`indomain ${args[0]} exited: ${text.slice(0, 500)}`)))
  })
}

export function startServeProcess(env: NodeJS.ProcessEnv, port: number): Promise<ChildProcess> {
  return startIndomainProcess(['serve', '--port', String(port)], env, 'indomain ready')
}
