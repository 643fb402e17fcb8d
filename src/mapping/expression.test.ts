import { describe, it, expect } from 'vitest';
import { DatongError } from '../errors/datong-error.ts';
import { compileCondition, compileExpression, jsonataTruthy } from './expression.ts';

async function rejection(promise: Promise<unknown>): Promise<DatongError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DatongError);
    return error as DatongError;
  }
  throw new Error('expected a rejection');
}

function syntaxError(source: string): DatongError {
  try {
    compileExpression(source, { field: '合计' });
  } catch (error) {
    expect(error).toBeInstanceOf(DatongError);
    return error as DatongError;
  }
  throw new Error('expected a syntax error');
}

const order = { 订单号: 'T1001', 客户: { 名称: '杭州绿茶有限公司' }, items: [{ sku: '龙井', priceFen: 12800, qty: 2 }, { sku: '碧螺春', priceFen: 9900, qty: 1 }] };

describe('compileExpression', () => {
  it('evaluates over the record, with Chinese keys', async () => {
    const expr = compileExpression('客户.名称 & "/" & $count(items)');
    expect(await expr.evaluate(order)).toBe('杭州绿茶有限公司/2');
  });

  it('reports a syntax error with its position, line and column', () => {
    const error = syntaxError('items[qty > 1).sku');
    expect(error.code).toBe('DT_MAP_EXPRESSION_SYNTAX');
    expect(error.where.field).toBe('合计');
    expect(error.params.position).toBe(14);
    expect(error.where.column).toBe(14);
    expect(error.details?.token).toBe(')');
    expect(error.message).toMatch(/^Field 合计: expression syntax error at position 14: /);
  });

  it('counts lines in multi-line expressions', () => {
    const error = syntaxError('(\n  $a := 1;\n  $a + \n)');
    expect(error.where.line).toBe(4);
  });

  it('reports runtime errors with the position', async () => {
    const expr = compileExpression('items[0].qty + 客户.名称', { field: '数量' });
    const error = await rejection(expr.evaluate(order));
    expect(error.code).toBe('DT_MAP_EXPRESSION');
    expect(error.where.field).toBe('数量');
    expect(error.params.position).toBe(14);
    expect(error.params.reason).toMatch(/right side of the "\+" operator/);
  });

  it('times out an endless loop', async () => {
    const expr = compileExpression('$reduce([1..5000000], function($a, $b) { $a + $b })', { timeoutMs: 30, field: 'x' });
    const started = Date.now();
    const error = await rejection(expr.evaluate({}));
    expect(error.code).toBe('DT_MAP_EXPRESSION_TIMEOUT');
    expect(error.params).toMatchObject({ field: 'x', limitMs: 30 });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops runaway recursion at the depth limit', async () => {
    const expr = compileExpression('($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))', { maxDepth: 200, timeoutMs: 5000 });
    const error = await rejection(expr.evaluate({}));
    expect(error.code).toBe('DT_MAP_EXPRESSION_TIMEOUT');
    expect(error.params.maxDepth).toBe(200);
  });

  it('allows reasonable recursion under the default depth', async () => {
    const expr = compileExpression('($f := function($n) { $n = 0 ? 0 : 1 + $f($n - 1) }; $f(20))');
    expect(await expr.evaluate({})).toBe(20);
  });

  it('keeps money exact with $decimal helpers', async () => {
    const values = { a: 0.1, b: 0.2, fen: 1999, list: ['19.99', 0.01, '100'] };
    const expr = compileExpression(`{
      "float": a + b,
      "exact": $decimalAdd(a, b),
      "yuan": $decimal(fen / 100, 2),
      "sub": $decimalSub("100.00", "0.01"),
      "mul": $decimalMul("19.99", 3),
      "div": $decimalDiv(10, 3, 4),
      "sum": $decimalSum(list),
      "cmp": $decimalCmp("1.10", 1.1),
      "round": $decimal("2.345", 2, "half-even")
    }`);
    expect(await expr.evaluate(values)).toEqual({
      float: 0.30000000000000004,
      exact: '0.3',
      yuan: '19.99',
      sub: '99.99',
      mul: '59.97',
      div: '3.3333',
      sum: '120',
      cmp: 0,
      round: '2.34',
    });
  });

  it('fails $decimal on non-numbers as a runtime error', async () => {
    const error = await rejection(compileExpression('$decimal(名称)').evaluate({ 名称: '一百元' }));
    expect(error.code).toBe('DT_MAP_EXPRESSION');
  });

  it('takes $now() and $millis() from the bound clock only', async () => {
    const expr = compileExpression('[$now(), $millis(), $now("[Y0001]-[M01]-[D01] [H01]:[m01]", "+0800")]');
    const now = new Date('2026-11-22T12:45:00.000Z');
    expect(await expr.evaluate({}, { now })).toEqual(['2026-11-22T12:45:00.000Z', now.getTime(), '2026-11-22 20:45']);
  });

  it('passes other bindings as variables', async () => {
    const expr = compileExpression('$lookup($状态表, status)');
    expect(await expr.evaluate({ status: 'WAIT_SELLER_SEND_GOODS' }, { 状态表: { WAIT_SELLER_SEND_GOODS: 'paid' } })).toBe('paid');
  });
});

describe('compileCondition', () => {
  it('tests JSONata truthiness', async () => {
    const cond = compileCondition('status = "paid" and $sum(items.qty) > 2');
    expect(await cond.test({ status: 'paid', items: [{ qty: 2 }, { qty: 1 }] })).toBe(true);
    expect(await cond.test({ status: 'paid', items: [{ qty: 1 }] })).toBe(false);
    expect(await compileCondition('missing').test({})).toBe(false);
    expect(await compileCondition('部门').test({ 部门: '市场部' })).toBe(true);
  });

  it('names the condition in errors', () => {
    try {
      compileCondition('status = ');
      throw new Error('expected a syntax error');
    } catch (error) {
      expect((error as DatongError).code).toBe('DT_MAP_EXPRESSION_SYNTAX');
      expect((error as DatongError).where.field).toBe('when');
    }
  });

  it('follows $boolean for every kind of value', () => {
    expect([undefined, null, '', 0, false, [], {}, [0, ''], () => 1].map(jsonataTruthy)).toEqual([false, false, false, false, false, false, false, false, false]);
    expect(['a', 1, true, [0, 1], { a: 1 }, [[1]]].map(jsonataTruthy)).toEqual([true, true, true, true, true, true]);
  });
});
