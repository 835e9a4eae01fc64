/**
 * The server's rule texts in Chinese: what a problem says (`problems[].problem` of an error, a
 * version check's detail) is fixed English text with, at most, catalog names, numbers and codes in
 * it. Each known text is a pattern here with its Chinese, the names and numbers carried over; the
 * console shows the Chinese and keeps the server's words for a text no pattern knows (a compiler's
 * message about a partner's code, say). A test feeds it the texts the rules really produce.
 */
import { ERROR_NAMES } from './error-names.ts'
import { REFUSAL_NAMES } from './refusal-names.ts'
import type { Language } from './names.ts'

type Translation = readonly [pattern: RegExp, zh: (...parts: string[]) => string]

const TYPES: Readonly<Record<string, string>> = { integer: '整数', number: '数字', string: '文本', boolean: '是或否', object: '对象', array: '列表', null: '空值' }
const codeName = (code: string): string => (Object.hasOwn(ERROR_NAMES, code) ? ERROR_NAMES[code as keyof typeof ERROR_NAMES][0] : code)
const refusalName = (code: string): string => (Object.hasOwn(REFUSAL_NAMES, code) ? REFUSAL_NAMES[code as keyof typeof REFUSAL_NAMES][0] : code)

const TRANSLATIONS: readonly Translation[] = [
  // JSON-schema validation (ajv's texts)
  [/^must have required property '([^']+)'$/, (p) => `缺少必填项 ${p}`],
  [/^must NOT have fewer than (\d+) characters$/, (n) => `不能少于 ${n} 个字符`],
  [/^must NOT have more than (\d+) characters$/, (n) => `不能多于 ${n} 个字符`],
  [/^must NOT have fewer than (\d+) items$/, (n) => `至少 ${n} 项`],
  [/^must NOT have more than (\d+) items$/, (n) => `最多 ${n} 项`],
  [/^must NOT have fewer than (\d+) properties$/, (n) => `至少 ${n} 项`],
  [/^must NOT have more than (\d+) properties$/, (n) => `最多 ${n} 项`],
  [/^must NOT have additional properties$/, () => '含有不允许的项'],
  [/^must be equal to one of the allowed values$/, () => '不是允许的取值'],
  [/^must match pattern ".*"$/s, () => '格式不符合要求'],
  [/^must match format "([^"]+)"$/, (f) => `格式不符合 ${f}`],
  [/^must be (integer|number|string|boolean|object|array|null)$/, (t) => `必须是${TYPES[t] ?? t}`],
  [/^must be (>=|<=|>|<) (-?[\d.]+)$/, (op, n) => `${{ '>=': '不能小于', '<=': '不能大于', '>': '必须大于', '<': '必须小于' }[op] ?? op} ${n}`],
  [/^must match exactly one schema in oneOf$/, () => '不符合任何一种允许的形式'],
  [/^must match a schema in anyOf$/, () => '不符合任何一种允许的形式'],
  [/^property name must be valid$/, () => '名称格式不符合要求'],
  [/^is required$/, () => '必填'],
  [/^invalid$/, () => '无效'],
  // what a product needs of its scenario (version-review.ts)
  [/^not approved in the scenario$/, () => '场景未批准该字段'],
  [/^a one-entity product needs a key field for every table, and the scenario sets none$/, () => '单主体产品的每张表都需要查询键，场景未设置'],
  [/^the product looks up by (\w+), the scenario's key field is (\w+|not set)$/, (want, have) => `产品按 ${want} 查询，场景的查询键${have === 'not set' ? '未设置' : `为 ${have}`}`],
  [/^(\w+)\/key: (.+)$/, (table, rest) => `${table} 的查询键：${translated(rest) ?? rest}`],
  [/^(\w+)\/fields\/(\w+): (.+)$/, (table, field, rest) => `${table}.${field}：${translated(rest) ?? rest}`],
  // a version's review checks (version-review.ts)
  [/^no dev run$/, () => '尚未试运行'],
  [/^the dev run failed: (ERR_\w+)$/, (code) => `试运行失败：${codeName(code)}`],
  [/^the dev run failed$/, () => '试运行失败'],
  [/^refused: ([\w, ]+)$/, (codes) => `出域检查未通过：${codes.split(', ').map(refusalName).join('、')}`],
  [/^the dev run did not reach the release checks$/, () => '试运行未到达出域检查'],
  [/^the version was not submitted under a scenario$/, () => '该版本尚未在场景下提交'],
  [/^the scenario is for (\S+), the product declares (\S+)$/, (s, p) => `场景类别为 ${s}，产品声明为 ${p}`],
  [/^the manifest could not be loaded from the stored sources$/, () => '无法从存储的源码加载产品清单'],
  [/^the stored sources bundle to another code hash than the one recorded$/, () => '存储的源码打包后的代码哈希与记录不一致'],
  [/^the stored sources do not bundle \((ERR_\w+)\)$/, (code) => `存储的源码无法打包（${codeName(code)}）`],
  [/^(ERR_\w+): .+$/, (code) => codeName(code)],
  // rules of decisions, reviews and forms
  [/^must not be blank$/, () => '不能为空'],
  [/^is not the scenario's current revision: reload it$/, () => '不是场景的当前版本：请刷新后再决定'],
  [/^must be a future date \(YYYY-MM-DD\)$/, () => '必须是今天之后的日期（YYYY-MM-DD）'],
  [/^names a table the scenario does not read$/, () => '指定了场景未申请的数据表'],
  [/^not a field of this table in the catalog$/, () => '不是该表在目录中的字段'],
  [/^a key field is a text field$/, () => '查询键必须是文本字段'],
  [/^names a field that was not requested$/, () => '指定了未申请的字段'],
  [/^names a field that is not approved$/, () => '指定了未批准的字段'],
  [/^a denial needs a reason$/, () => '驳回须写明理由'],
  [/^not a valid mask$/, () => '不是有效的脱敏方式'],
  [/^must be in \(0, 10\]$/, () => '必须大于 0 且不超过 10'],
  [/^must allow at least one release$/, () => '至少够一次发放'],
  [/^must be 1 to 3660 days$/, () => '必须为 1 至 3660 天'],
  [/^name at least one consumer$/, () => '至少指定一个数据使用方'],
  [/^L4 data never leaves unmasked$/, () => 'L4 级数据不得不脱敏使用'],
  [/^a direct identifier is pseudonymized unless it is the lookup key( \(approve it again with a mask\))?$/, (again) => `直接标识须假名化，除非它是查询键${again === undefined ? '' : '（请重新选择脱敏方式批准）'}`],
  [/^An override needs a reason of at least (\d+) characters$/, (n) => `越过检查须写明至少 ${n} 个字的理由`],
  [/^A day to stay callable is a real date, today or later \(Beijing\)$/, () => '保留期限须为今天或以后的真实日期（北京时间）'],
  [/^is not a retired version of the product$/, () => '不是该产品已退出清单的版本'],
  // a product definition the SDK refuses (sdk/definition-rules.ts)
  [/^api products name the key field of every table$/, () => '单主体产品须为每张表指定查询键'],
  [/^every scenario table must name its fields$/, () => '场景中的每张表都须列出字段'],
  // identifiers (catalog/identifiers)
  [/^The unified social credit code is not valid \(GB 32100\)$/, () => '统一社会信用代码无效（GB 32100）'],
  [/^Not a unified social credit code \(GB 32100-2015\)$/, () => '不是统一社会信用代码（GB 32100-2015）'],
  [/^The check digit \(position 18\) of the unified social credit code is invalid \(GB 32100-2015\)$/, () => '统一社会信用代码第 18 位校验码错误（GB 32100-2015）'],
  [/^The organisation code's check digit \(position 17\) of the unified social credit code is invalid \(GB 11714-1997\)$/, () => '统一社会信用代码中组织机构代码的校验码（第 17 位）错误（GB 11714-1997）'],
  [/^The check digit \(position 18\) of the resident ID number is invalid \(GB 11643-1999\)$/, () => '居民身份证号码第 18 位校验码错误（GB 11643-1999）'],
  [/^The address code or the date of birth of the resident ID number is not valid \(GB 11643-1999\)$/, () => '居民身份证号码的地址码或出生日期无效（GB 11643-1999）'],
  [/^Not a resident ID number \(GB 11643-1999\)$/, () => '不是居民身份证号码（GB 11643-1999）'],
]

/** The Chinese of one text, or undefined for a text no pattern knows. */
function translated(text: string): string | undefined {
  for (const [pattern, zh] of TRANSLATIONS) {
    const match = pattern.exec(text)
    if (match !== null) return zh(...match.slice(1))
  }
  return undefined
}

/**
 * A server text in `language`: in Chinese when a pattern knows it (several texts joined by `; `
 * each on its own), in English as the server said it; undefined when Chinese is asked and some
 * part of it is unknown.
 */
export function problemText(text: string, language: Language): string | undefined {
  if (language === 'en') return text
  const parts = text.split('; ').map(translated)
  return parts.every((p) => p !== undefined) ? parts.join('；') : undefined
}
