// Rule kinds of the monitoring contract (section 4), in its order.
export const RULES = [
  'system_success',
  'business_success',
  'ret_ratio',
  'service_success',
  'no_txn',
  'volume_ratio',
  'abnormal_count',
  'timeout_count',
  'batch',
  'recon',
] as const;
export type RuleKind = (typeof RULES)[number];

export function isRule(r: string): r is RuleKind {
  return (RULES as readonly string[]).includes(r);
}
