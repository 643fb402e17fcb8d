/**
 * The shop's orders as its platform would push them, and their life: paid (待发货) → shipped
 * (已发货) → finished (已完成), or closed (已关闭) after a refund. The generator is pure apart
 * from the clock and the random source it is given, so tests can replay it.
 */
import { PRODUCTS } from './catalogue.ts';
import { randomBuyer, randomReceiver, type Buyer, type Receiver } from './people.ts';
import type { Random } from './random.ts';
import { orderNoPrefix, shopMinute, shopSecond } from './shop-time.ts';

/** Platform status codes (Taobao/Tmall style); the mapping's valueMap turns them into ERP statuses. */
export const SHOP_STATUSES = ['WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS', 'TRADE_FINISHED', 'TRADE_CLOSED'] as const;
export type ShopStatus = (typeof SHOP_STATUSES)[number];

export interface ShopOrderLine {
  lineNo: number;
  sku: string;
  title: string;
  qty: number;
  priceFen: number;
  totalFen: number;
}

/** The webhook body. Times are `dd/MM/yyyy HH:mm` in Beijing time, amounts integer fen. */
export interface ShopOrder {
  orderNo: string;
  status: string;
  createdAt: string;
  paidAt: string;
  shippedAt?: string;
  /** The record's version: `dd/MM/yyyy HH:mm:ss`, newer on every change. */
  updatedAt: string;
  buyer: Buyer;
  receiver: Receiver;
  items: ShopOrderLine[];
  goodsFen: number;
  freightFen: number;
  discountFen: number;
  paymentFen: number;
  logistics?: { company: string; trackingNo: string };
  remark: string;
}

/** Why a deliberately bad order is bad, i.e. which check catches it in the hub. */
export type BadKind = 'unknown-status' | 'impossible-date' | 'no-lines';

export type Delivery =
  | { kind: 'new'; order: ShopOrder }
  | { kind: 'update'; order: ShopOrder }
  | { kind: 'bad'; order: ShopOrder; bad: BadKind };

const REMARKS = ['', '', '', '请尽快发货', '周末送货，谢谢', '不要放快递柜', '送人的，请不要放价格单', '发票抬头：杭州云栖贸易有限公司'];
const CARRIERS = [
  { company: '顺丰速运', prefix: 'SF' },
  { company: '中通快递', prefix: '7' },
  { company: '圆通速递', prefix: 'YT' },
  { company: '京东物流', prefix: 'JDV' },
];
const OPEN_LIMIT = 500;

export interface GeneratorOptions {
  random: Random;
  now?: () => number;
  /** Share of deliveries that are deliberately bad (default 1 in 50). */
  badShare?: number;
  /** Share of deliveries that update an earlier order (default 1 in 5). */
  updateShare?: number;
}

interface OpenOrder {
  order: ShopOrder;
  updatedMs: number;
}

export class OrderGenerator {
  private readonly random: Random;
  private readonly now: () => number;
  private readonly badShare: number;
  private readonly updateShare: number;
  private readonly open = new Map<string, OpenOrder>();
  private sequence: number;

  constructor(options: GeneratorOptions) {
    this.random = options.random;
    this.now = options.now ?? Date.now;
    this.badShare = options.badShare ?? 0.02;
    this.updateShare = options.updateShare ?? 0.2;
    this.sequence = this.random.int(0, 8_000_000);
  }

  next(): Delivery {
    const roll = this.random.next();
    if (roll < this.badShare) return this.bad();
    if (roll < this.badShare + this.updateShare) {
      const update = this.update();
      if (update) return update;
    }
    return { kind: 'new', order: this.newOrder() };
  }

  newOrder(): ShopOrder {
    const now = this.now();
    const random = this.random;
    const created = now - random.int(0, 180) * 1000;
    const paid = Math.min(now, created + random.int(10, 120) * 1000);
    const buyer = randomBuyer(random);
    const items = this.lines();
    const goodsFen = items.reduce((sum, line) => sum + line.totalFen, 0);
    const freightFen = goodsFen >= 9900 ? 0 : 1000;
    // A store coupon (店铺优惠券) now and then, only where the order is large enough for it.
    const coupon = random.chance(0.25) ? random.pick([500, 1000, 2000, 3000]) : 0;
    const discountFen = coupon * 5 <= goodsFen ? coupon : 0;
    this.sequence = (this.sequence + 1) % 10_000_000;
    const order: ShopOrder = {
      orderNo: orderNoPrefix(now) + String(this.sequence).padStart(7, '0'),
      status: 'WAIT_SELLER_SEND_GOODS',
      createdAt: shopMinute(created),
      paidAt: shopMinute(paid),
      updatedAt: shopSecond(now),
      buyer,
      receiver: randomReceiver(random, buyer),
      items,
      goodsFen,
      freightFen,
      discountFen,
      paymentFen: goodsFen + freightFen - discountFen,
      remark: random.pick(REMARKS),
    };
    this.remember(order, now);
    return order;
  }

  /** The next step in the life of an earlier order, or undefined when none can move yet. */
  update(): Delivery | undefined {
    const now = this.now();
    const second = Math.floor(now / 1000);
    const candidates = [...this.open.values()].filter((open) => Math.floor(open.updatedMs / 1000) < second);
    if (candidates.length === 0) return undefined;
    const { order: previous } = this.random.pick(candidates);
    const order: ShopOrder = structuredClone(previous);
    order.updatedAt = shopSecond(now);
    if (previous.status === 'WAIT_SELLER_SEND_GOODS' && this.random.chance(0.9)) {
      const carrier = this.random.pick(CARRIERS);
      order.status = 'WAIT_BUYER_CONFIRM_GOODS';
      order.shippedAt = shopMinute(now);
      order.logistics = { company: carrier.company, trackingNo: carrier.prefix + this.random.digits(12) };
    } else if (previous.status === 'WAIT_SELLER_SEND_GOODS') {
      order.status = 'TRADE_CLOSED';
      order.remark = '买家申请退款，已退款';
    } else {
      order.status = 'TRADE_FINISHED';
    }
    if (order.status === 'TRADE_FINISHED' || order.status === 'TRADE_CLOSED') this.open.delete(order.orderNo);
    else this.remember(order, now);
    return { kind: 'update', order };
  }

  bad(kind: BadKind = this.random.pick(['unknown-status', 'impossible-date', 'no-lines'] as const)): Delivery {
    const order = this.newOrder();
    this.open.delete(order.orderNo);
    if (kind === 'unknown-status') order.status = 'PAID_FORBID_CONSIGN'; // 拼团中：已付款但禁止发货 — no ERP status for it
    if (kind === 'impossible-date') order.createdAt = order.createdAt.replace(/^\d\d\/\d\d/, '31/11'); // 11月31日 does not exist
    if (kind === 'no-lines') order.items = [];
    return { kind: 'bad', order, bad: kind };
  }

  private lines(): ShopOrderLine[] {
    const count = this.random.pick([1, 1, 1, 2, 2, 3, 4]);
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(this.random.int(0, PRODUCTS.length - 1));
    return [...chosen].map((index, position) => {
      const product = PRODUCTS[index];
      const qty = this.random.pick([1, 1, 1, 2, 2, 3, 5]);
      return { lineNo: position + 1, sku: product.sku, title: product.name, qty, priceFen: product.priceFen, totalFen: qty * product.priceFen };
    });
  }

  private remember(order: ShopOrder, updatedMs: number): void {
    this.open.delete(order.orderNo);
    this.open.set(order.orderNo, { order, updatedMs });
    if (this.open.size > OPEN_LIMIT) this.open.delete(this.open.keys().next().value!);
  }
}
