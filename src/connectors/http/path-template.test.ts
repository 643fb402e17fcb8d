import { describe, expect, it } from 'vitest';
import { fillPath, placeholders } from './path-template.ts';

describe('path templates', () => {
  it('fills placeholders from the data, URL-encoded, including dotted paths', () => {
    expect(fillPath('/customers/{id}', { id: '客户 A/1' })).toEqual({ ok: true, path: `/customers/${encodeURIComponent('客户 A/1')}` });
    expect(fillPath('/orders/{header.no}/lines/{line}', { header: { no: 'SO-7' }, line: 3 })).toEqual({ ok: true, path: '/orders/SO-7/lines/3' });
    expect(fillPath('/orders', {})).toEqual({ ok: true, path: '/orders' });
  });

  it('reports the first missing, empty or non-scalar placeholder', () => {
    expect(fillPath('/c/{id}', {})).toEqual({ ok: false, missing: 'id' });
    expect(fillPath('/c/{id}', { id: '' })).toEqual({ ok: false, missing: 'id' });
    expect(fillPath('/c/{a}/{b}', { a: { x: 1 }, b: null })).toEqual({ ok: false, missing: 'a' });
    expect(fillPath('/c/{id}', null)).toEqual({ ok: false, missing: 'id' });
  });

  it('lists placeholders', () => {
    expect(placeholders('/a/{x}/b/{ y.z }')).toEqual(['x', 'y.z']);
    expect(placeholders('/a')).toEqual([]);
  });
});
