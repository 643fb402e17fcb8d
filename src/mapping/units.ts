/**
 * The `unit` transform: exact conversion between units of one kind, decimal strings out.
 * Factors are to a base unit per kind (gram, metre, millilitre, piece); Chinese market units
 * are the PRC statutory ones (1 斤 = 500 g, 1 两 = 50 g).
 */
import { DatongError } from '../errors/datong-error.ts';
import { mapFailure } from './failure.ts';
import { Dec, canonical, powerOfTen, shiftDecimal, toDecimal } from './decimals.ts';

type Kind = 'mass' | 'length' | 'volume' | 'count';

const UNITS: Record<string, readonly [Kind, string]> = {
  mg: ['mass', '0.001'], 毫克: ['mass', '0.001'],
  g: ['mass', '1'], 克: ['mass', '1'],
  kg: ['mass', '1000'], 千克: ['mass', '1000'], 公斤: ['mass', '1000'],
  t: ['mass', '1000000'], 吨: ['mass', '1000000'],
  斤: ['mass', '500'], jin: ['mass', '500'], 市斤: ['mass', '500'],
  两: ['mass', '50'], liang: ['mass', '50'],
  mm: ['length', '0.001'], 毫米: ['length', '0.001'],
  cm: ['length', '0.01'], 厘米: ['length', '0.01'],
  dm: ['length', '0.1'], 分米: ['length', '0.1'],
  m: ['length', '1'], 米: ['length', '1'],
  km: ['length', '1000'], 千米: ['length', '1000'], 公里: ['length', '1000'],
  ml: ['volume', '1'], 毫升: ['volume', '1'],
  l: ['volume', '1000'], 升: ['volume', '1000'],
  m3: ['volume', '1000000'], 立方米: ['volume', '1000000'],
  个: ['count', '1'], pcs: ['count', '1'], pc: ['count', '1'], 件: ['count', '1'], 只: ['count', '1'], ea: ['count', '1'],
};

/** Known unit names, for docs and editor hints. */
export const UNIT_NAMES: readonly string[] = Object.keys(UNITS);

function lookup(name: string): readonly [Kind, string] | undefined {
  const key = /^[\x20-\x7e]+$/.test(name) ? name.trim().toLowerCase() : name.trim();
  return Object.hasOwn(UNITS, key) ? UNITS[key] : undefined;
}

export interface UnitRule {
  from: string;
  to: string;
}

export function compileUnitRule(rule: UnitRule, facts: { field: string; path?: string }): (value: unknown) => string {
  const { field, path } = facts;
  const from = rule && typeof rule.from === 'string' ? lookup(rule.from) : undefined;
  const to = rule && typeof rule.to === 'string' ? lookup(rule.to) : undefined;
  if (!from || !to || from[0] !== to[0]) {
    throw new DatongError('DT_MAP_UNIT', { params: { field, from: String(rule?.from), to: String(rule?.to) }, where: { field } });
  }
  const ratio = new Dec(from[1]).div(to[1]);
  const shift = powerOfTen(ratio);
  return (value) => {
    if (shift !== undefined) {
      const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : typeof value === 'string' && /^[+-]?\d+(?:\.\d+)?$/.test(value) ? value : undefined;
      if (text !== undefined) return shiftDecimal(text, shift)!;
    }
    const d = toDecimal(value);
    if (!d) throw mapFailure('DT_MAP_CAST', { field, path, value, params: { type: 'decimal' } });
    return canonical(d.times(ratio));
  };
}
