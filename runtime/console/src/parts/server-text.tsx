/**
 * A rule text from the server (an error's problem, a version check's detail) in the reader's
 * language: in Chinese when the dictionary knows it (runtime/dictionary/problem-texts.ts); else the
 * server's own English words, marked as such (a compiler's message about a partner's code, say).
 */
import { problemText } from '../../../dictionary/index.ts'
import { useLanguage, useT } from '../i18n.ts'

export function ServerText({ text }: { text: string }) {
  const language = useLanguage()
  const t = useT()
  const said = problemText(text, language)
  if (said === undefined) {
    return (
      <span class="small">
        {t('technicalDetail')}：<code lang="en">{text}</code>
      </span>
    )
  }
  if (language === 'en') return <span>{said}</span>
  // names the Chinese carries over (tables, fields, formats) are the catalog's: shown as code
  return <span>{said.split(/([A-Za-z][A-Za-z0-9_.-]*)/).map((part, i) => (i % 2 === 1 ? <code key={i}>{part}</code> : part))}</span>
}
