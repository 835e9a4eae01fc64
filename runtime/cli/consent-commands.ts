/** `indomain consent issue`: a dev consent issuer for testing products about persons. */
import { InvalidArgumentError, type Command } from 'commander'
import { loadConfig } from '../config.ts'
import { issueConsent } from '../consent/consent.ts'
import { openDevConsentIssuer } from '../consent/consent-issuer.ts'

const positive = (v: string) => {
  const n = Number(v)
  if (!(n > 0)) throw new InvalidArgumentError('must be positive')
  return n
}

export function registerConsentCommands(program: Command): void {
  program
    .command('consent')
    .description('consent tokens of data subjects (dev issuer)')
    .command('issue')
    .description('issue a dev consent token: this person allows this consumer to call this product for this purpose')
    .requiredOption('--subject <residentId>', 'the person (only a hash of the ID goes into the token)')
    .requiredOption('--product <id>', 'the product')
    .requiredOption('--consumer <id>', 'the consumer')
    .requiredOption('--purpose <text>', 'the purpose')
    .option('--days <n>', 'validity in days', positive, 30)
    .option('--uses <n>', 'how many calls it allows', positive, 1)
    .action((options: { subject: string; product: string; consumer: string; purpose: string; days: number; uses: number }) => {
      const issuer = openDevConsentIssuer(loadConfig())
      process.stdout.write(
        `${issueConsent(issuer.active(), { residentId: options.subject, product: options.product, consumer: options.consumer, purpose: options.purpose, days: options.days, uses: Math.floor(options.uses) })}\n`,
      )
    })
}
