/**
 * 验证出域结果: how a bank checks a release it holds without trusting this console: the platform's
 * public keys (JWKS) at their address, the command that verifies a downloaded file, and what any
 * verifier of its own must check, each check with the refusal it gives (docs/verifying-releases.md).
 */
import { VERIFY_FAILURE_NAMES, type Names } from '../../../dictionary/index.ts'
import type { VerifyFailure } from '../../../release/signing.ts'
import { useLanguage, useName, useT } from '../i18n.ts'
import type { Session } from '../session.ts'

const CHECKS: readonly { readonly check: Names; readonly failures: readonly VerifyFailure[] }[] = [
  { check: ['不超过 1 MiB；由三段 base64url 组成；头部和声明中没有重复成员', 'At most 1 MiB; three base64url parts; no member twice'], failures: ['TOO_LARGE', 'MALFORMED', 'DUPLICATE_HEADER_MEMBER'] },
  { check: ['签名算法只认 EdDSA（不接受“无签名”，也不接受结果自己提出的其他算法）', 'The algorithm is EdDSA only'], failures: ['ALG_NOT_ALLOWED'] },
  { check: ['头部不自带任何密钥或密钥地址', 'The header carries no key'], failures: ['KEY_IN_HEADER'] },
  { check: ['类型是出域结果（同意书或审计检查点不是出域结果）', 'The type is a release'], failures: ['WRONG_TYPE'] },
  { check: ['签名密钥在平台公钥集中（已退役但结果仍有效的密钥也在其中）', 'The key is in the platform\'s key set'], failures: ['UNKNOWN_KEY'] },
  { check: ['用该公钥验证签名', 'The signature verifies with that key'], failures: ['BAD_SIGNATURE'] },
  { check: ['必需的声明齐全（编号、签发方、接收方、时间、环境、产品、场景、使用方、请求与结果摘要、检查、结果）', 'Every required claim is present'], failures: ['MISSING_CLAIM'] },
  { check: ['签发方是本平台，接收方是您自己', 'Issued by the platform, to you'], failures: ['WRONG_ISSUER', 'WRONG_AUDIENCE'] },
  { check: ['未过期，签发时间不在未来（允许一分钟时钟误差）', 'Not expired, not issued in the future'], failures: ['EXPIRED', 'NOT_YET_VALID'] },
  { check: ['环境是生产环境（试运行结果用试运行密钥签在样例数据上）', 'Signed in production'], failures: ['DEV_RELEASE'] },
  { check: ['结果摘要等于结果的规范化 JSON 的 SHA-256', 'The result hash matches the result'], failures: ['RESULT_MISMATCH'] },
  { check: ['请求摘要等于您所发请求的规范化 JSON 的 SHA-256', 'The request hash matches your request'], failures: ['REQUEST_MISMATCH'] },
]

export function VerifyPage({ session }: { session: Session | undefined }) {
  const t = useT()
  const name = useName()
  const language = useLanguage()
  const jwks = `${location.origin}/.well-known/jwks.json`
  const consumer = session?.role === 'consumer' && session.subject !== '' ? session.subject : t('consumerIdPlaceholder')
  return (
    <section>
      <h1 tabIndex={-1}>{t('nav_verify')}</h1>
      <p>{t('verifyIntro')}</p>
      <h2>{t('jwksAddress')}</h2>
      <p>
        <code data-testid="jwks-url" class="copy">
          {jwks}
        </code>
      </p>
      <p class="muted small">{t('jwksHelp')}</p>
      <h2>{t('verifyWithCommand')}</h2>
      <pre class="command" tabIndex={0} data-testid="verify-command">
        <code>{`npx indomain verify release.jws --jwks ${jwks} --consumer ${consumer}`}</code>
      </pre>
      <p class="muted small">{t('verifyCommandHelp')}</p>
      <h2>{t('verifyWithPython')}</h2>
      <pre class="command" tabIndex={0}>
        <code>{`curl -s ${jwks} > jwks.json\npython3 docs/verifiers/verify_release.py --jwks jwks.json --token release.jws --audience ${consumer}`}</code>
      </pre>
      <h2>{t('whatVerifierChecks')}</h2>
      <table data-testid="verifier-checks">
        <thead>
          <tr>
            <th scope="col">{t('check')}</th>
            <th scope="col">{t('refusalWhenNot')}</th>
          </tr>
        </thead>
        <tbody>
          {CHECKS.map((c, i) => (
            <tr key={i}>
              <td>{c.check[language === 'zh' ? 0 : 1]}</td>
              <td>{c.failures.map((f) => name(VERIFY_FAILURE_NAMES, f)).join('；')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('whatItProves')}</h2>
      <p>{t('releaseProves')}</p>
    </section>
  )
}
