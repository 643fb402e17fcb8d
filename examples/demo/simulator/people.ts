/** Made-up but plausible buyers: Chinese names, mobile numbers and delivery addresses. */
import type { Random } from './random.ts';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高', '欧阳', '司马'];
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '晓东', '思远', '雨萱', '子涵', '浩然', '欣怡', '一鸣', '婷婷'];
const NICK_WORDS = ['小鱼', '阿狸', '糯米', '橘子', '星河', '木木', '夏天', '花卷', '豆包', '晴天'];
const MOBILE_PREFIXES = ['130', '131', '135', '136', '138', '139', '150', '152', '158', '159', '166', '177', '180', '186', '188', '189', '199'];

interface Place {
  province: string;
  city: string;
  district: string;
  streets: readonly string[];
  zip: string;
}

const PLACES: readonly Place[] = [
  { province: '浙江省', city: '杭州市', district: '西湖区', streets: ['文三路', '天目山路', '教工路'], zip: '310012' },
  { province: '广东省', city: '深圳市', district: '南山区', streets: ['科技园南路', '深南大道', '后海大道'], zip: '518057' },
  { province: '广东省', city: '广州市', district: '天河区', streets: ['天河路', '体育西路', '珠江新城华夏路'], zip: '510620' },
  { province: '江苏省', city: '苏州市', district: '工业园区', streets: ['星湖街', '现代大道', '金鸡湖大道'], zip: '215021' },
  { province: '上海市', city: '上海市', district: '浦东新区', streets: ['张杨路', '世纪大道', '碧波路'], zip: '200120' },
  { province: '北京市', city: '北京市', district: '朝阳区', streets: ['建国路', '望京街', '三里屯路'], zip: '100022' },
  { province: '四川省', city: '成都市', district: '武侯区', streets: ['天府大道', '科华北路', '人民南路'], zip: '610041' },
  { province: '湖北省', city: '武汉市', district: '洪山区', streets: ['珞喻路', '雄楚大道', '光谷大道'], zip: '430074' },
  { province: '山东省', city: '青岛市', district: '市南区', streets: ['香港中路', '东海西路', '闽江路'], zip: '266071' },
  { province: '福建省', city: '厦门市', district: '思明区', streets: ['鹭江道', '湖滨南路', '莲前西路'], zip: '361001' },
  { province: '陕西省', city: '西安市', district: '雁塔区', streets: ['小寨东路', '高新路', '长安南路'], zip: '710061' },
  { province: '新疆维吾尔自治区', city: '乌鲁木齐市', district: '天山区', streets: ['解放北路', '中山路'], zip: '830002' },
];

export interface Buyer {
  nick: string;
  name: string;
  phone: string;
}

export interface Receiver {
  name: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  address: string;
  zip: string;
}

export function randomBuyer(random: Random): Buyer {
  const name = random.pick(SURNAMES) + random.pick(GIVEN);
  return {
    nick: `${random.pick(NICK_WORDS)}${random.digits(3)}`,
    name,
    phone: random.pick(MOBILE_PREFIXES) + random.digits(8),
  };
}

/** Mostly the buyer's own address; now and then a gift sent to someone else. */
export function randomReceiver(random: Random, buyer: Buyer): Receiver {
  const place = random.pick(PLACES);
  const other = random.chance(0.15) ? randomBuyer(random) : buyer;
  return {
    name: other.name,
    phone: other.phone,
    province: place.province,
    city: place.city,
    district: place.district,
    address: `${random.pick(place.streets)}${random.int(1, 399)}号${random.int(1, 12)}幢${random.int(1, 30)}0${random.int(1, 4)}室`,
    zip: place.zip,
  };
}
