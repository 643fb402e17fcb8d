/**
 * How the shop platform writes times: day first, in Beijing time, without a zone —
 * `22/11/2026 20:45` (as many Chinese platforms' exports and older open APIs do). The record's
 * version (`updatedAt`) carries seconds so two changes of an order within a minute stay ordered.
 */
import { DateTime } from 'luxon';

export const SHOP_ZONE = 'Asia/Shanghai';

export function shopMinute(epochMs: number): string {
  return DateTime.fromMillis(epochMs, { zone: SHOP_ZONE }).toFormat('dd/MM/yyyy HH:mm');
}

export function shopSecond(epochMs: number): string {
  return DateTime.fromMillis(epochMs, { zone: SHOP_ZONE }).toFormat('dd/MM/yyyy HH:mm:ss');
}

/** ISO 8601 with the +08:00 offset and milliseconds: sorts as text, as the ERP's updated_at must. */
export function erpTimestamp(epochMs: number): string {
  return DateTime.fromMillis(epochMs, { zone: SHOP_ZONE }).toISO()!;
}

/** `yyyyMMddHHmm` in Beijing time: the first part of an order number. */
export function orderNoPrefix(epochMs: number): string {
  return DateTime.fromMillis(epochMs, { zone: SHOP_ZONE }).toFormat('yyyyMMddHHmm');
}
