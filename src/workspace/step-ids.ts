/**
 * A step's id: the one it declares, else `<type>-<index>` with the 0-based index it has in
 * `steps`, the same number a finding's path shows (`steps[2]` → `write-2`). Traces, metrics
 * and `route` targets use this id.
 */
export function stepIdOf(step: { id?: string; type: string }, index: number): string {
  return step.id ?? `${step.type}-${index}`;
}
