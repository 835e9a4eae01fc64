/** Area under the ROC curve of scores (higher = more likely positive) against labels (ties count half). */
export function auc(scores: readonly number[], positive: readonly boolean[]): number {
  const pairs = scores.map((s, i) => [s, positive[i]!] as const).sort((a, b) => a[0] - b[0])
  let rankSum = 0
  let positives = 0
  for (let i = 0; i < pairs.length; ) {
    let j = i
    while (j < pairs.length && pairs[j]![0] === pairs[i]![0]) j++
    const midRank = (i + j + 1) / 2
    for (let k = i; k < j; k++) if (pairs[k]![1]) {
      rankSum += midRank
      positives++
    }
    i = j
  }
  const negatives = pairs.length - positives
  if (positives === 0 || negatives === 0) return Number.NaN
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives)
}
