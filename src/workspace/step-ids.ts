/**
 * A step's id: the one it declares, else `<type>-<position>` with its 1-based position in
 * `steps` (the third step, `steps[2]`, is `write-3`). The runtime's flow plan numbers steps the
 * same way; traces, metrics and `route` targets use this id.
 */
export function stepIdOf(step: { id?: string; type: string }, index: number): string {
  return step.id ?? `${step.type}-${index + 1}`;
}
