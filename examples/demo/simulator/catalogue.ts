/** The demo's product range: what the ERP stocks and the shop sells. Prices in fen (分). */
export interface Product {
  sku: string;
  name: string;
  priceFen: number;
  warehouse: Warehouse;
}

/** ERP warehouse names; the stock-push mapping turns them into the shop's location codes. */
export type Warehouse = '上海仓' | '广州仓' | '成都仓';

export const PRODUCTS: readonly Product[] = [
  { sku: 'SKU-1001', name: '西湖龙井 明前特级 250g', priceFen: 16800, warehouse: '上海仓' },
  { sku: 'SKU-1002', name: '安溪铁观音 清香型 500g', priceFen: 12800, warehouse: '广州仓' },
  { sku: 'SKU-1003', name: '云南普洱熟茶饼 357g', priceFen: 9900, warehouse: '成都仓' },
  { sku: 'SKU-1004', name: '武夷山大红袍 礼盒装', priceFen: 26800, warehouse: '广州仓' },
  { sku: 'SKU-2001', name: '五常稻花香大米 5kg', priceFen: 8990, warehouse: '上海仓' },
  { sku: 'SKU-2002', name: '东北黑木耳 250g', priceFen: 3590, warehouse: '上海仓' },
  { sku: 'SKU-2003', name: '宁夏中宁枸杞 500g', priceFen: 5900, warehouse: '成都仓' },
  { sku: 'SKU-2004', name: '新疆和田大枣 1kg', priceFen: 4590, warehouse: '成都仓' },
  { sku: 'SKU-2005', name: '金华火腿切片 200g', priceFen: 6800, warehouse: '上海仓' },
  { sku: 'SKU-3001', name: '景德镇青花瓷茶具套装', priceFen: 39900, warehouse: '上海仓' },
  { sku: 'SKU-3002', name: '苏绣真丝团扇', priceFen: 15800, warehouse: '上海仓' },
  { sku: 'SKU-3003', name: '宜兴紫砂壶 西施壶 200ml', priceFen: 45800, warehouse: '上海仓' },
  { sku: 'SKU-3004', name: '安吉竹编收纳篮（大号）', priceFen: 4900, warehouse: '广州仓' },
  { sku: 'SKU-4001', name: '桑蚕丝被 200×230cm', priceFen: 89900, warehouse: '广州仓' },
  { sku: 'SKU-4002', name: '新疆长绒棉四件套 1.8m', priceFen: 35900, warehouse: '广州仓' },
  { sku: 'SKU-4003', name: '白鹅绒枕 一对', priceFen: 29900, warehouse: '成都仓' },
  { sku: 'SKU-5001', name: '郫县豆瓣酱 500g', priceFen: 1590, warehouse: '成都仓' },
  { sku: 'SKU-5002', name: '镇江香醋 550ml×2', priceFen: 2380, warehouse: '上海仓' },
  { sku: 'SKU-5003', name: '王致和腐乳礼盒', priceFen: 3990, warehouse: '上海仓' },
  { sku: 'SKU-5004', name: '广式腊肠 500g', priceFen: 6890, warehouse: '广州仓' },
];
