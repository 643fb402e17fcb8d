/**
 * Time-zone offsets, fast. Luxon's IANAZone answers correctly but costs microseconds per call
 * (an Intl round trip), which would dominate a field map. So each zone is probed once: if its
 * offset has not changed since some instant (Asia/Shanghai: since its last DST in 1991) every
 * later instant gets that fixed offset; otherwise answers are cached per 15-minute UTC slot
 * (every real transition falls on a quarter hour). Answers are always Luxon's.
 */
import { IANAZone } from 'luxon';

const QUARTER_HOUR_MS = 900_000;
const DAY_MS = 86_400_000;
const PROBE_STEP_MS = 14 * 86_400_000;
const PROBE_FROM_MS = Date.UTC(2100, 0, 1);
const PROBE_UNTIL_MS = Date.UTC(1970, 0, 1);
const CACHE_LIMIT = 20_000;

export class ZoneInfo {
  readonly name: string;
  private readonly zone: IANAZone;
  /** The offset (minutes) in force for all instants in [fixedFromMs, PROBE_FROM_MS), if any. */
  private readonly fixedOffset: number;
  private readonly fixedFromMs: number;
  private readonly slots = new Map<number, number>();

  constructor(name: string, zone: IANAZone) {
    this.name = name;
    this.zone = zone;
    const last = zone.offset(PROBE_FROM_MS);
    let from = PROBE_FROM_MS;
    for (let t = PROBE_FROM_MS - PROBE_STEP_MS; t >= PROBE_UNTIL_MS; t -= PROBE_STEP_MS) {
      if (zone.offset(t) !== last) break;
      from = t;
    }
    // Between the first differing probe and `from` the change could be up to a step later.
    this.fixedOffset = last;
    this.fixedFromMs = from === PROBE_FROM_MS ? Infinity : from + (from === PROBE_UNTIL_MS ? 0 : PROBE_STEP_MS);
  }

  /** Minutes to add to UTC to get local time at the instant `utcMs`. */
  offsetAt(utcMs: number): number {
    if (utcMs >= this.fixedFromMs && utcMs < PROBE_FROM_MS) return this.fixedOffset;
    const slot = Math.floor(utcMs / QUARTER_HOUR_MS);
    let offset = this.slots.get(slot);
    if (offset === undefined) {
      offset = this.zone.offset(slot * QUARTER_HOUR_MS);
      if (this.slots.size >= CACHE_LIMIT) this.slots.clear();
      this.slots.set(slot, offset);
    }
    return offset;
  }

  /**
   * The offset to subtract from a wall-clock time (given as milliseconds "as if UTC") to get
   * the instant, with a fixed rule (Temporal's "compatible"): a time that occurs twice takes the
   * earlier instant, a time skipped by a spring-forward gap moves forward by the gap. Render the
   * instant with offsetAt(), which differs from this answer inside a gap.
   */
  offsetForLocal(localMs: number): number {
    if (localMs - this.fixedOffset * 60_000 >= this.fixedFromMs && localMs < PROBE_FROM_MS) return this.fixedOffset;
    const before = this.offsetAt(localMs - DAY_MS);
    const after = this.offsetAt(localMs + DAY_MS);
    if (before === after) return before;
    const beforeFits = this.offsetAt(localMs - before * 60_000) === before;
    const afterFits = this.offsetAt(localMs - after * 60_000) === after;
    if (beforeFits && afterFits) return Math.max(before, after);
    if (afterFits) return after;
    return before;
  }
}

const zones = new Map<string, ZoneInfo | null>();

/** The zone for an IANA name, or undefined if the name is not a zone this machine knows. */
export function getZone(name: string): ZoneInfo | undefined {
  let info = zones.get(name);
  if (info === undefined) {
    info = IANAZone.isValidZone(name) ? new ZoneInfo(name, IANAZone.create(name)) : null;
    zones.set(name, info);
  }
  return info ?? undefined;
}
