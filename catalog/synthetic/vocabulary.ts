/**
 * Vocabulary of the synthetic world: the places, names, enterprises, banks, vehicles and services
 * the generator draws from. Four cities from public-data authorized-operation plans: 六安市 and
 * 池州市 (安徽省), 大冶市 (湖北省, a county-level city administered by 黄石市) and 大同市 (山西省).
 *
 * Everything here is plain data, deeply frozen. Weights are relative (they need not sum to 1).
 * Names of real places, courts and institutions are used where known; where a list needed padding
 * or no real name was known, the entry is marked in a comment.
 */

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value as object)) deepFreeze(v)
  }
  return value
}

/** A name with a relative weight. */
export type Weighted<N extends string = string> = { readonly name: N; readonly weight: number }

// ---------------------------------------------------------------------------------------------
// Places
// ---------------------------------------------------------------------------------------------

export type District = {
  /** GB/T 2260 six-digit county-level code. */
  readonly code: string
  /** The county-level division: 金安区, 霍邱县, 大冶市 ... */
  readonly name: string
  /** The prefecture-level city, as written in addresses (大冶市 → 黄石市). */
  readonly city: string
  readonly province: string
  /** Province abbreviation + issuing-office letter of the city's plates, e.g. 皖N. */
  readonly cityPlatePrefix: string
  /** Approximate resident population (7th census, 2020); use as a weight. */
  readonly population: number
  /** 8-12 街道/乡镇 of the district (real names; see comments where a list had to be padded). */
  readonly streets: readonly string[]
  /** 8-12 road names (路/大道/街); real where known, otherwise plausible. */
  readonly roads: readonly string[]
  /** The basic people's court of the district. */
  readonly court: string
  /** The court's code in case numbers: (2024)皖1502执123号 → 皖1502. */
  readonly courtCode: string
}

export const DISTRICTS: readonly District[] = deepFreeze([
  // ---- 安徽省六安市 (皖N) ----
  {
    code: '341502', name: '金安区', city: '六安市', province: '安徽省', cityPlatePrefix: '皖N', population: 829_236,
    streets: ['中市街道', '东市街道', '三里桥街道', '望城街道', '清水河街道', '木厂镇', '马头镇', '东桥镇', '张店镇', '毛坦厂镇', '孙岗镇', '三十铺镇'],
    roads: ['皖西大道', '梅山北路', '人民路', '解放北路', '佛子岭东路', '皋城东路', '龙河路', '紫竹林路', '长安路', '望城路', '清水河路'],
    court: '六安市金安区人民法院', courtCode: '皖1502',
  },
  {
    code: '341503', name: '裕安区', city: '六安市', province: '安徽省', cityPlatePrefix: '皖N', population: 890_000,
    streets: ['鼓楼街道', '西市街道', '小华山街道', '城南镇', '苏埠镇', '韩摆渡镇', '新安镇', '顺河镇', '独山镇', '固镇镇', '徐集镇', '分路口镇'],
    roads: ['梅山南路', '解放南路', '鼓楼街', '寿春路', '佛子岭西路', '皋城西路', '迎宾大道', '南屏路', '振兴路', '淠河西路', '小华山路'],
    court: '六安市裕安区人民法院', courtCode: '皖1503',
  },
  {
    code: '341504', name: '叶集区', city: '六安市', province: '安徽省', cityPlatePrefix: '皖N', population: 216_229,
    // 叶集区 has only 6 township-level units; the development zone and the former 叶集镇 (split into
    // 史河/平岗街道 in 2016, still common in older 户籍 addresses) pad the list to 8.
    streets: ['史河街道', '平岗街道', '三元镇', '洪集镇', '姚李镇', '孙岗乡', '叶集经济开发区', '叶集镇'],
    roads: ['民强路', '花园路', '史河大道', '平岗路', '文化路', '叶集大道', '工业大道', '迎宾路', '建设路'],
    court: '六安市叶集区人民法院', courtCode: '皖1504',
  },
  {
    code: '341522', name: '霍邱县', city: '六安市', province: '安徽省', cityPlatePrefix: '皖N', population: 944_985,
    streets: ['城关镇', '河口镇', '周集镇', '临水镇', '新店镇', '石店镇', '马店镇', '孟集镇', '花园镇', '扈胡镇', '长集镇', '冯井镇'],
    roads: ['蓼城大道', '光明大道', '淮河路', '水门塘路', '城西湖路', '东湖路', '西湖路', '蓼都路', '建设路', '文化路'],
    court: '霍邱县人民法院', courtCode: '皖1522',
  },
  {
    code: '341523', name: '舒城县', city: '六安市', province: '安徽省', cityPlatePrefix: '皖N', population: 697_250,
    streets: ['城关镇', '杭埠镇', '千人桥镇', '百神庙镇', '桃溪镇', '万佛湖镇', '张母桥镇', '五显镇', '山七镇', '河棚镇', '汤池镇', '晓天镇'],
    roads: ['梅河路', '春秋路', '龙舒路', '鼓楼街', '南溪路', '万佛湖路', '桃溪路', '舒茶路', '城关大道', '西大街'],
    court: '舒城县人民法院', courtCode: '皖1523',
  },
  {
    code: '341524', name: '金寨县', city: '六安市', province: '安徽省', cityPlatePrefix: '皖N', population: 496_501,
    streets: ['梅山镇', '麻埠镇', '青山镇', '燕子河镇', '天堂寨镇', '古碑镇', '吴家店镇', '斑竹园镇', '汤家汇镇', '南溪镇', '双河镇', '白塔畈镇'],
    roads: ['梅山湖路', '红军大道', '史河路', '南三路', '金梧桐路', '江店大道', '将军路', '天堂寨路', '响洪甸路'],
    court: '金寨县人民法院', courtCode: '皖1524',
  },
  {
    code: '341525', name: '霍山县', city: '六安市', province: '安徽省', cityPlatePrefix: '皖N', population: 320_000,
    streets: ['衡山镇', '佛子岭镇', '下符桥镇', '与儿街镇', '黑石渡镇', '诸佛庵镇', '落儿岭镇', '磨子潭镇', '大化坪镇', '漫水河镇', '但家庙镇', '单龙寺镇'],
    roads: ['迎驾大道', '衡山路', '南岳路', '淠河路', '佛子岭路', '黄芽路', '城南路', '复览路', '东城大道'],
    court: '霍山县人民法院', courtCode: '皖1525',
  },
  // ---- 安徽省池州市 (皖R) ----
  {
    code: '341702', name: '贵池区', city: '池州市', province: '安徽省', cityPlatePrefix: '皖R', population: 615_274,
    streets: ['池阳街道', '秋浦街道', '里山街道', '江口街道', '梅龙街道', '墩上街道', '杏花村街道', '清风街道', '清溪街道', '殷汇镇', '牛头山镇', '梅街镇'],
    roads: ['百牙中路', '长江南路', '秋浦东路', '秋浦西路', '翠微路', '清溪大道', '康庄大道', '齐山大道', '九华路', '池阳路', '平天湖大道', '杏花村路'],
    court: '池州市贵池区人民法院', courtCode: '皖1702',
  },
  {
    code: '341721', name: '东至县', city: '池州市', province: '安徽省', cityPlatePrefix: '皖R', population: 398_414,
    streets: ['尧渡镇', '东流镇', '大渡口镇', '胜利镇', '张溪镇', '洋湖镇', '葛公镇', '香隅镇', '官港镇', '昭潭镇', '泥溪镇', '木塔乡'],
    roads: ['至德大道', '尧渡街', '东流路', '升金湖路', '建新路', '历山路', '香隅路', '新华路', '人民路'],
    court: '东至县人民法院', courtCode: '皖1721',
  },
  {
    code: '341722', name: '石台县', city: '池州市', province: '安徽省', cityPlatePrefix: '皖R', population: 89_000,
    streets: ['仁里镇', '七都镇', '丁香镇', '小河镇', '横渡镇', '仙寓镇', '矶滩乡', '大演乡'],
    roads: ['秋浦路', '仁里路', '牯牛降路', '中山路', '新华路', '石台大道', '横渡路', '城东路'],
    court: '石台县人民法院', courtCode: '皖1722',
  },
  {
    code: '341723', name: '青阳县', city: '池州市', province: '安徽省', cityPlatePrefix: '皖R', population: 225_000,
    streets: ['蓉城镇', '木镇镇', '庙前镇', '陵阳镇', '新河镇', '丁桥镇', '朱备镇', '杨田镇', '杜村乡', '乔木乡'],
    roads: ['九华路', '蓉城路', '青通路', '五溪路', '新河路', '陵阳路', '朱备路', '青阳大道', '建设路'],
    court: '青阳县人民法院', courtCode: '皖1723',
  },
  // ---- 湖北省黄石市大冶市 (鄂B) ----
  {
    code: '420281', name: '大冶市', city: '黄石市', province: '湖北省', cityPlatePrefix: '鄂B', population: 871_214,
    // 金山街道 and 汪仁镇 are administered by the 黄石 development zone and left out.
    streets: ['东岳路街道', '东风路街道', '金湖街道', '罗家桥街道', '金牛镇', '保安镇', '灵乡镇', '金山店镇', '还地桥镇', '殷祖镇', '陈贵镇', '大箕铺镇'],
    roads: ['东岳路', '东风路', '新冶大道', '湛月路', '罗桥大道', '金湖大道', '雨润大道', '大冶大道', '熊家洲路', '铜都大道', '青龙山路', '城北大道'],
    court: '大冶市人民法院', courtCode: '鄂0281',
  },
  // ---- 山西省大同市 (晋B) ----
  {
    code: '140212', name: '新荣区', city: '大同市', province: '山西省', cityPlatePrefix: '晋B', population: 105_000,
    // 7 current units; 上深涧乡 (merged away in the 2018-2021 adjustments) pads the list to 8.
    streets: ['新荣镇', '古店镇', '花园屯镇', '破鲁堡乡', '郭家窑乡', '西村乡', '堡子湾乡', '上深涧乡'],
    roads: ['府西街', '新荣路', '长城路', '花园屯路', '古店路', '破鲁堡路', '振兴街', '迎宾路'],
    court: '大同市新荣区人民法院', courtCode: '晋0212',
  },
  {
    code: '140213', name: '平城区', city: '大同市', province: '山西省', cityPlatePrefix: '晋B', population: 1_105_699,
    streets: ['古城街道', '新旺街道', '马军营街道', '白登山街道', '文瀛湖街道', '水泊寺街道', '永泰街道', '清远街道', '振华街道', '迎宾街道', '新华街道', '御河街道'],
    roads: ['迎宾西街', '魏都大道', '御河西路', '新建南路', '新建北路', '大庆路', '永泰南路', '云中路', '北都街', '南关南街', '文兴路', '兴云街'],
    court: '大同市平城区人民法院', courtCode: '晋0213',
  },
  {
    code: '140214', name: '云冈区', city: '大同市', province: '山西省', cityPlatePrefix: '晋B', population: 580_000,
    streets: ['新胜街道', '新平旺街道', '口泉街道', '和顺街道', '西花园街道', '老平旺街道', '平泉路街道', '清泉街街道', '高山镇', '云冈镇', '西韩岭乡', '口泉乡'],
    roads: ['同泉路', '云冈路', '口泉路', '平泉路', '新平旺街', '清泉街', '和瑞街', '西花园路', '武周路', '矿区大道'],
    court: '大同市云冈区人民法院', courtCode: '晋0214',
  },
  {
    code: '140215', name: '云州区', city: '大同市', province: '山西省', cityPlatePrefix: '晋B', population: 150_000,
    streets: ['西坪镇', '倍加造镇', '周士庄镇', '吉家庄乡', '峰峪乡', '杜庄乡', '党留庄乡', '聚乐乡', '许堡乡'],
    roads: ['西坪大街', '云州大道', '黄花大道', '倍加造路', '周士庄路', '聚乐路', '许堡路', '吉家庄路'],
    court: '大同市云州区人民法院', courtCode: '晋0215',
  },
  {
    code: '140221', name: '阳高县', city: '大同市', province: '山西省', cityPlatePrefix: '晋B', population: 230_000,
    streets: ['龙泉镇', '王官屯镇', '大白登镇', '罗文皂镇', '古城镇', '东小村镇', '友宰镇', '长城乡', '北徐屯乡', '下深井乡', '狮子屯乡', '鳌石乡'],
    roads: ['龙泉大街', '古城路', '阳高大道', '长城路', '友宰路', '大白登路', '王官屯路', '北大街'],
    court: '阳高县人民法院', courtCode: '晋0221',
  },
  {
    code: '140222', name: '天镇县', city: '大同市', province: '山西省', cityPlatePrefix: '晋B', population: 170_000,
    streets: ['玉泉镇', '谷前堡镇', '米薪关镇', '逯家湾镇', '新平堡镇', '卅里铺乡', '贾家屯乡', '赵家沟乡', '马家皂乡', '南高崖乡', '张西河乡'],
    roads: ['玉泉路', '塞上大街', '新平堡路', '谷前堡路', '米薪关路', '天镇大道', '东大街', '西大街'],
    court: '天镇县人民法院', courtCode: '晋0222',
  },
  {
    code: '140223', name: '广灵县', city: '大同市', province: '山西省', cityPlatePrefix: '晋B', population: 160_000,
    streets: ['壶泉镇', '南村镇', '加斗镇', '作疃镇', '梁庄镇', '一斗泉乡', '蕉山乡', '宜兴乡'],
    roads: ['壶泉路', '南村路', '加斗路', '作疃路', '广灵大街', '东关街', '西关街', '圣泉路'],
    court: '广灵县人民法院', courtCode: '晋0223',
  },
  {
    code: '140224', name: '灵丘县', city: '大同市', province: '山西省', cityPlatePrefix: '晋B', population: 200_000,
    streets: ['武灵镇', '东河南镇', '上寨镇', '落水河乡', '赵北乡', '独峪乡', '下关乡', '白崖台乡', '石家田乡', '红石塄乡', '柳科乡'],
    roads: ['武灵大街', '平型关路', '唐河路', '东河南路', '上寨路', '觉山路', '灵丘大道', '南关街'],
    court: '灵丘县人民法院', courtCode: '晋0224',
  },
  {
    code: '140225', name: '浑源县', city: '大同市', province: '山西省', cityPlatePrefix: '晋B', population: 280_000,
    streets: ['永安镇', '西坊城镇', '蔡村镇', '青磁窑镇', '沙圪坨镇', '王庄堡镇', '大磁窑镇', '东坊城乡', '裴村乡', '驼峰乡', '千佛岭乡', '黄花滩乡'],
    roads: ['永安大街', '恒山路', '悬空寺路', '北岳大街', '西坊城路', '蔡村路', '东关街', '新华街'],
    court: '浑源县人民法院', courtCode: '晋0225',
  },
  {
    code: '140226', name: '左云县', city: '大同市', province: '山西省', cityPlatePrefix: '晋B', population: 120_000,
    streets: ['云兴镇', '鹊儿山镇', '店湾镇', '管家堡乡', '张家场乡', '三屯乡', '马道头乡', '小京庄乡', '水窑乡'],
    roads: ['云兴大街', '云新西大街', '鹊儿山路', '店湾路', '三屯路', '管家堡路', '左云大道', '西环路'],
    court: '左云县人民法院', courtCode: '晋0226',
  },
])

/**
 * Landmarks per city (key: District.city), for bus stops and addresses; combine with
 * BUS_STOP_LANDMARKS for the generic ones every town has.
 */
export const CITY_LANDMARKS: Readonly<Record<string, readonly string[]>> = deepFreeze({
  六安市: ['六安站', '六安汽车站', '皖西学院', '六安职业技术学院', '市人民医院', '九墩塘公园', '人民公园', '皖西博物馆', '红街', '万佛湖'],
  池州市: ['池州站', '池州汽车站', '池州学院', '平天湖', '杏花村', '齐山', '池州市人民医院', '九华山', '长江市场园'],
  黄石市: ['大冶北站', '大冶汽车站', '雷山', '铜绿山古铜矿遗址', '大冶湖', '青龙山公园', '大冶市人民医院', '尹家湖'],
  大同市: ['大同站', '大同南站', '山西大同大学', '华严寺', '大同古城墙', '鼓楼', '文瀛湖', '红旗广场', '云冈石窟', '大同市第三人民医院'],
})

// ---------------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------------

/**
 * The ~110 most common surnames; weights are approximate percentages of the population
 * (public-security household statistics). A few two-character surnames are included with small
 * weights. 柯 is rare nationally but very common around 大冶; see REGIONAL_SURNAME_MULTIPLIERS.
 */
export const SURNAMES: readonly Weighted[] = deepFreeze([
  { name: '王', weight: 7.1 }, { name: '李', weight: 7.0 }, { name: '张', weight: 6.7 }, { name: '刘', weight: 5.4 },
  { name: '陈', weight: 4.6 }, { name: '杨', weight: 3.1 }, { name: '黄', weight: 2.2 }, { name: '赵', weight: 2.1 },
  { name: '吴', weight: 2.0 }, { name: '周', weight: 1.9 }, { name: '徐', weight: 1.45 }, { name: '孙', weight: 1.4 },
  { name: '马', weight: 1.35 }, { name: '朱', weight: 1.25 }, { name: '胡', weight: 1.15 }, { name: '郭', weight: 1.1 },
  { name: '何', weight: 1.05 }, { name: '林', weight: 0.95 }, { name: '高', weight: 0.95 }, { name: '罗', weight: 0.9 },
  { name: '郑', weight: 0.8 }, { name: '梁', weight: 0.78 }, { name: '谢', weight: 0.7 }, { name: '宋', weight: 0.63 },
  { name: '唐', weight: 0.62 }, { name: '许', weight: 0.6 }, { name: '邓', weight: 0.58 }, { name: '韩', weight: 0.57 },
  { name: '冯', weight: 0.55 }, { name: '曹', weight: 0.53 }, { name: '彭', weight: 0.5 }, { name: '曾', weight: 0.48 },
  { name: '肖', weight: 0.47 }, { name: '田', weight: 0.46 }, { name: '董', weight: 0.45 }, { name: '潘', weight: 0.43 },
  { name: '袁', weight: 0.42 }, { name: '蔡', weight: 0.41 }, { name: '蒋', weight: 0.4 }, { name: '余', weight: 0.39 },
  { name: '于', weight: 0.38 }, { name: '杜', weight: 0.37 }, { name: '叶', weight: 0.36 }, { name: '程', weight: 0.35 },
  { name: '魏', weight: 0.34 }, { name: '苏', weight: 0.33 }, { name: '吕', weight: 0.33 }, { name: '丁', weight: 0.32 },
  { name: '任', weight: 0.31 }, { name: '卢', weight: 0.3 }, { name: '姚', weight: 0.3 }, { name: '沈', weight: 0.29 },
  { name: '钟', weight: 0.28 }, { name: '姜', weight: 0.28 }, { name: '崔', weight: 0.27 }, { name: '谭', weight: 0.26 },
  { name: '陆', weight: 0.26 }, { name: '范', weight: 0.25 }, { name: '汪', weight: 0.25 }, { name: '廖', weight: 0.24 },
  { name: '石', weight: 0.24 }, { name: '金', weight: 0.23 }, { name: '贾', weight: 0.22 }, { name: '夏', weight: 0.21 },
  { name: '付', weight: 0.21 }, { name: '方', weight: 0.21 }, { name: '韦', weight: 0.12 }, { name: '邹', weight: 0.2 },
  { name: '熊', weight: 0.2 }, { name: '白', weight: 0.19 }, { name: '孟', weight: 0.19 }, { name: '秦', weight: 0.18 },
  { name: '邱', weight: 0.18 }, { name: '侯', weight: 0.18 }, { name: '江', weight: 0.17 }, { name: '尹', weight: 0.17 },
  { name: '薛', weight: 0.16 }, { name: '闫', weight: 0.16 }, { name: '段', weight: 0.16 }, { name: '雷', weight: 0.15 },
  { name: '龙', weight: 0.12 }, { name: '史', weight: 0.14 }, { name: '陶', weight: 0.14 }, { name: '贺', weight: 0.13 },
  { name: '毛', weight: 0.13 }, { name: '郝', weight: 0.13 }, { name: '顾', weight: 0.12 }, { name: '龚', weight: 0.12 },
  { name: '邵', weight: 0.12 }, { name: '万', weight: 0.11 }, { name: '武', weight: 0.11 }, { name: '钱', weight: 0.11 },
  { name: '戴', weight: 0.1 }, { name: '严', weight: 0.1 }, { name: '孔', weight: 0.1 }, { name: '向', weight: 0.09 },
  { name: '常', weight: 0.09 }, { name: '汤', weight: 0.09 }, { name: '康', weight: 0.08 }, { name: '易', weight: 0.08 },
  { name: '乔', weight: 0.08 }, { name: '文', weight: 0.07 }, { name: '黎', weight: 0.06 }, { name: '莫', weight: 0.05 },
  { name: '赖', weight: 0.04 }, { name: '覃', weight: 0.02 }, { name: '柯', weight: 0.04 }, { name: '储', weight: 0.03 },
  { name: '欧阳', weight: 0.02 }, { name: '上官', weight: 0.004 }, { name: '司马', weight: 0.003 }, { name: '诸葛', weight: 0.002 },
])

/**
 * Optional per-province multipliers on SURNAMES weights, for local flavour (王/郝/闫/武 in 山西,
 * 汪/储/陶 in 皖西南, 柯/石 around 大冶). Surnames not listed keep multiplier 1.
 */
export const REGIONAL_SURNAME_MULTIPLIERS: Readonly<Record<string, Readonly<Record<string, number>>>> = deepFreeze({
  安徽省: { 汪: 2, 储: 4, 陶: 1.5, 方: 1.5, 许: 1.3, 戴: 1.5, 程: 1.3, 韦: 1.5 },
  湖北省: { 柯: 25, 石: 2.5, 刘: 1.2, 陈: 1.3, 黄: 1.3, 余: 1.8, 熊: 1.8, 胡: 1.4 },
  山西省: { 王: 1.4, 郝: 3, 闫: 4, 武: 4, 贾: 2, 乔: 3, 任: 2, 郭: 1.5, 梁: 1.3, 韩: 1.3 },
})

export type GivenNameChars = {
  readonly male: readonly string[]
  readonly female: readonly string[]
  readonly neutral: readonly string[]
}

/** Single characters typical of given names across generations (建国/秀英 to 子轩/欣怡). */
export const GIVEN_NAME_CHARS: GivenNameChars = deepFreeze({
  male: [
    '伟', '强', '军', '磊', '涛', '浩', '宇', '轩', '杰', '勇', '斌', '鹏', '超', '刚', '辉', '建', '国', '峰', '亮', '波',
    '飞', '龙', '俊', '彬', '博', '睿', '泽', '皓', '铭', '昊', '航', '豪', '锐', '凯', '坤', '东', '海', '山', '松', '柏',
    '森', '栋', '梁', '成', '武', '兵', '卫', '忠', '诚', '德', '福', '贵', '富', '发', '财', '旺', '根', '树', '志', '雄',
    '毅', '坚', '胜', '利', '权', '光', '宏', '鑫', '晖', '骏', '驰', '腾', '跃', '翔', '帅', '虎', '彪', '庆', '喜', '仁',
    '义', '礼', '智', '孝', '保', '良', '顺', '全', '长', '茂', '盛', '兴', '旭', '昌', '隆', '奎', '魁', '锋', '钢', '铁',
    '煜', '炜', '烨', '琛', '瑞', '璋', '祥', '祺', '奕', '霖', '烁', '晟', '宸', '瀚', '逸', '洪', '斐', '政', '哲', '晗',
  ],
  female: [
    '芳', '娜', '静', '丽', '婷', '雪', '欣', '怡', '敏', '燕', '霞', '红', '艳', '玲', '梅', '兰', '菊', '萍', '秀', '英',
    '琴', '娟', '莉', '倩', '颖', '慧', '佳', '悦', '涵', '萱', '妍', '琳', '璐', '瑶', '婉', '娴', '淑', '惠', '珍', '珠',
    '凤', '翠', '桂', '月', '彩', '晶', '露', '薇', '蓉', '莹', '茜', '蕾', '蓓', '嫣', '妮', '婕', '姗', '媛', '嘉', '馨',
    '雯', '雅', '楠', '梦', '诗', '晴', '岚', '菲', '芸', '芬', '芝', '荷', '莲', '蕊', '珊', '瑾', '琦', '瑜', '璇', '琪',
    '彤', '冰', '洁', '爱', '美', '香', '素', '巧', '娥', '姣', '霏', '紫', '语', '沫', '汐', '依', '伊', '可', '昕', '歆',
    '曼', '蔓', '艺', '瑛', '琼', '黛', '娇', '婧', '蕙', '茹',
  ],
  neutral: [
    '文', '明', '华', '林', '春', '秋', '晓', '晨', '阳', '平', '安', '宁', '一', '子', '天', '新', '永', '远', '思', '雨',
    '星', '辰', '君', '青', '清', '云', '如', '若', '心', '家', '和', '玉', '金', '宝', '立', '正', '楚', '洋', '元', '冬',
    '夏', '学', '少', '小', '中', '丹', '江', '健', '康', '乐', '欢', '承', '恩', '泓', '泉', '溪', '书', '景', '锦', '真',
    '朝', '潇', '然', '墨', '言', '梓', '沐', '颂', '歌', '益', '亦', '尚', '凡', '鸣', '诺', '希', '舒', '宜', '羽', '启',
    '韵', '容', '卓', '悠', '秉', '念', '予', '知', '澄', '苑',
  ],
})

/**
 * Ethnic groups. The four cities are overwhelmingly 汉族 (about 99% of residents, vs 91%
 * nationally), so 汉族 is weighted accordingly; 回族 is the largest minority.
 */
export const ETHNICITIES: readonly Weighted[] = deepFreeze([
  { name: '汉族', weight: 0.99 },
  { name: '回族', weight: 0.004 },
  { name: '满族', weight: 0.0015 },
  { name: '蒙古族', weight: 0.0012 },
  { name: '土家族', weight: 0.0006 },
  { name: '苗族', weight: 0.0005 },
  { name: '壮族', weight: 0.0004 },
  { name: '彝族', weight: 0.0002 },
  { name: '侗族', weight: 0.0002 },
  { name: '畲族', weight: 0.0002 },
  { name: '布依族', weight: 0.0001 },
  { name: '朝鲜族', weight: 0.0001 },
  { name: '瑶族', weight: 0.0001 },
  { name: '白族', weight: 0.0001 },
  { name: '藏族', weight: 0.0001 },
  { name: '维吾尔族', weight: 0.0001 },
])

/** 文化程度 as recorded in household registration, highest first. */
export const EDUCATION_LEVELS = deepFreeze([
  '博士研究生', '硕士研究生', '大学本科', '大学专科', '中等专科', '技工学校', '高中', '初中', '小学', '文盲或半文盲', '学龄前',
] as const)
export type EducationLevel = (typeof EDUCATION_LEVELS)[number]

/**
 * Rough distribution of EDUCATION_LEVELS among residents aged 15+ in cities like these (order of
 * magnitude from the 7th census: ~14% 大专 or higher, ~15% 高中/中专, ~36% 初中, ~27% 小学).
 * Younger cohorts skew higher.
 */
export const ADULT_EDUCATION_WEIGHTS: readonly Weighted<EducationLevel>[] = deepFreeze([
  { name: '博士研究生', weight: 0.001 },
  { name: '硕士研究生', weight: 0.007 },
  { name: '大学本科', weight: 0.06 },
  { name: '大学专科', weight: 0.075 },
  { name: '中等专科', weight: 0.045 },
  { name: '技工学校', weight: 0.01 },
  { name: '高中', weight: 0.1 },
  { name: '初中', weight: 0.36 },
  { name: '小学', weight: 0.27 },
  { name: '文盲或半文盲', weight: 0.072 },
])

export const MARITAL_STATUSES = deepFreeze(['未婚', '已婚', '离婚', '丧偶'] as const)
export type MaritalStatus = (typeof MARITAL_STATUSES)[number]

/** 与户主关系. */
export const HOUSEHOLD_RELATIONS = deepFreeze([
  '户主', '配偶', '子', '女', '父亲', '母亲', '孙子', '孙女', '儿媳', '女婿', '兄弟姐妹', '其他',
] as const)
export type HouseholdRelation = (typeof HOUSEHOLD_RELATIONS)[number]

// ---------------------------------------------------------------------------------------------
// Residential compounds
// ---------------------------------------------------------------------------------------------

export type CompoundNameParts = {
  /** Combined with a suffix: 金色 + 家园, 翡翠湾 + 花园, 皋城 + 小区. */
  readonly prefixes: readonly string[]
  readonly suffixes: readonly string[]
  /** Complete names used as they are (developer brands and the like). */
  readonly standalone: readonly string[]
}

export const COMPOUND_NAME_PARTS: CompoundNameParts = deepFreeze({
  prefixes: [
    // local flavour
    '皋城', '淠河', '大别山', '万佛湖', '梅山', '史河', '龙河', '九华', '秋浦', '平天湖', '杏花村', '齐山', '清溪',
    '铜都', '大冶湖', '青龙山', '雷山', '云冈', '御河', '雁门', '魏都', '平城', '文瀛湖', '恒山', '桑干河',
    // generic
    '金色', '翡翠湾', '滨湖', '阳光', '碧水', '锦绣', '紫金', '书香', '香樟', '丽景', '御景', '江南', '东方', '世纪',
    '盛世', '金地', '名门', '香榭', '凤凰', '幸福', '和谐', '康居', '怡景', '山水', '城南', '城东', '城北', '西城',
    '学府', '观澜', '水岸', '龙湾', '金桂', '银杏', '玉兰', '紫荆', '海棠', '梧桐', '桃源', '翠湖',
    '湖畔', '半岛', '公园', '天悦', '君悦', '嘉和', '永安', '福临', '华亭', '明珠', '国贸', '东湖', '南湖', '北苑',
    '工人', '机关', '供电', '教师', '电厂', '矿务局',
  ],
  suffixes: [
    '小区', '花园', '家园', '苑', '新村', '公寓', '华府', '雅居', '名都', '佳苑', '城', '湾', '府', '名苑', '嘉园',
    '新城', '雅苑', '丽都', '首府', '公馆', '山庄', '里', '宿舍', '一品', '御府',
  ],
  standalone: [
    '碧桂园', '恒大名都', '万达华府', '保利香槟国际', '绿地世纪城', '金色家园', '幸福里', '阳光城', '东方明珠',
    '世纪花园', '滨湖新城', '御景湾', '翡翠湾花园', '锦绣江南', '书香门第', '香格里拉花园',
  ],
})

// ---------------------------------------------------------------------------------------------
// Enterprises
// ---------------------------------------------------------------------------------------------

export type Industry = {
  /** GB/T 4754-2017 门类 letter. */
  readonly code: string
  readonly name: string
  /** Share of registered enterprises. */
  readonly weight: number
  /** Average wage relative to the all-industry average (1.0). */
  readonly wageIndex: number
  /** Words used in enterprise names of the industry: 六安市恒信[建筑工程]有限公司. */
  readonly nameWords: readonly string[]
  /** Relative monthly electricity use of the premises, 1.0 = an office. */
  readonly powerIntensity: number
}

export const INDUSTRIES: readonly Industry[] = deepFreeze([
  {
    code: 'A', name: '农、林、牧、渔业', weight: 0.045, wageIndex: 0.6, powerIntensity: 2,
    nameWords: ['农业科技', '生态农业', '农业开发', '种植', '养殖', '水产养殖', '畜牧', '苗木', '茶业', '中药材种植', '林业', '农牧'],
  },
  {
    code: 'B', name: '采矿业', weight: 0.004, wageIndex: 1.25, powerIntensity: 12,
    nameWords: ['矿业', '矿产品', '煤业', '石料', '砂石', '采石', '非金属矿业', '建材矿业'],
  },
  {
    code: 'C', name: '制造业', weight: 0.11, wageIndex: 0.92, powerIntensity: 8,
    nameWords: ['机械制造', '新材料', '食品', '纺织', '服饰', '建材', '塑业', '包装', '钢结构', '铸造', '五金制品', '家具', '汽车配件', '化工', '电子', '茶叶加工', '制衣', '新型建材'],
  },
  {
    code: 'D', name: '电力、热力、燃气及水生产和供应业', weight: 0.007, wageIndex: 1.4, powerIntensity: 5,
    nameWords: ['新能源', '电力', '光伏电力', '热力', '燃气', '水务', '供水', '能源'],
  },
  {
    code: 'E', name: '建筑业', weight: 0.09, wageIndex: 0.88, powerIntensity: 1.2,
    nameWords: ['建筑工程', '建设工程', '建筑安装工程', '装饰工程', '市政工程', '路桥工程', '水利工程', '园林绿化工程', '建筑劳务', '幕墙工程', '防水工程', '钢结构工程'],
  },
  {
    code: 'F', name: '批发和零售业', weight: 0.28, wageIndex: 0.85, powerIntensity: 1.5,
    nameWords: ['商贸', '贸易', '百货', '超市', '医药', '建材', '农资', '汽车销售', '电器', '粮油', '五金', '食品', '烟酒', '服装', '日用品', '商业'],
  },
  {
    code: 'G', name: '交通运输、仓储和邮政业', weight: 0.035, wageIndex: 1.05, powerIntensity: 2,
    nameWords: ['物流', '运输', '货运', '仓储', '快递', '客运', '供应链管理', '汽车运输'],
  },
  {
    code: 'H', name: '住宿和餐饮业', weight: 0.03, wageIndex: 0.6, powerIntensity: 3,
    nameWords: ['餐饮管理', '酒店管理', '餐饮', '宾馆', '农家乐', '酒店', '饮品', '快餐'],
  },
  {
    code: 'I', name: '信息传输、软件和信息技术服务业', weight: 0.055, wageIndex: 1.6, powerIntensity: 1.5,
    nameWords: ['信息技术', '网络科技', '软件', '智能科技', '数据科技', '电子商务', '通信技术', '科技', '信息科技'],
  },
  {
    code: 'J', name: '金融业', weight: 0.008, wageIndex: 1.65, powerIntensity: 1.2,
    nameWords: ['投资管理', '典当', '保险代理', '融资担保', '小额贷款', '资产管理'],
  },
  {
    code: 'K', name: '房地产业', weight: 0.04, wageIndex: 0.95, powerIntensity: 0.9,
    nameWords: ['房地产开发', '置业', '物业管理', '房地产经纪', '地产', '物业服务'],
  },
  {
    code: 'L', name: '租赁和商务服务业', weight: 0.13, wageIndex: 0.9, powerIntensity: 0.8,
    nameWords: ['商务咨询', '企业管理咨询', '人力资源', '广告', '会展服务', '劳务派遣', '设备租赁', '旅行社', '企业管理', '信息咨询', '文化传媒'],
  },
  {
    code: 'M', name: '科学研究和技术服务业', weight: 0.055, wageIndex: 1.3, powerIntensity: 1.2,
    nameWords: ['工程设计', '检测', '技术服务', '勘察设计', '环保科技', '生物科技', '测绘', '工程咨询', '节能科技'],
  },
  {
    code: 'N', name: '水利、环境和公共设施管理业', weight: 0.015, wageIndex: 0.85, powerIntensity: 1.5,
    nameWords: ['环境工程', '园林', '环卫', '水利', '公共设施管理', '生态环境', '环境治理'],
  },
  {
    code: 'O', name: '居民服务、修理和其他服务业', weight: 0.04, wageIndex: 0.65, powerIntensity: 1.2,
    nameWords: ['家政服务', '洗车', '美容美发', '汽车维修', '保洁', '家电维修', '养生', '摄影'],
  },
  {
    code: 'P', name: '教育', weight: 0.015, wageIndex: 1.1, powerIntensity: 1.5,
    nameWords: ['教育科技', '培训', '职业技能培训', '文化艺术培训', '教育咨询'],
  },
  {
    code: 'Q', name: '卫生和社会工作', weight: 0.012, wageIndex: 1.2, powerIntensity: 2.5,
    nameWords: ['医疗', '健康管理', '康养', '养老服务', '医院管理', '护理'],
  },
  {
    code: 'R', name: '文化、体育和娱乐业', weight: 0.025, wageIndex: 1.0, powerIntensity: 2,
    nameWords: ['文化传媒', '影视', '体育发展', '文化旅游', '娱乐', '文化艺术'],
  },
])

/** Two-character 字号 for enterprise names: 六安市[恒信][建筑工程]有限公司. */
export const ENTERPRISE_NAME_WORDS: readonly string[] = deepFreeze([
  '恒信', '华泰', '鑫源', '瑞丰', '宏达', '金诚', '永盛', '兴旺', '昌盛', '泰和', '中联', '天成', '德润', '汇通', '嘉诚',
  '佳禾', '丰泽', '润泽', '博远', '远航', '新锐', '启航', '聚鑫', '富源', '盛世', '安达', '诚信', '信达', '东方', '万和',
  '百川', '同创', '和顺', '顺达', '腾飞', '华宇', '宏远', '宏图', '鸿运', '鸿达', '鼎盛', '鼎诚', '鼎泰', '金鼎', '金盛',
  '金源', '金泰', '金辉', '银河', '星辰', '晨光', '阳光', '朝阳', '旭日', '旭升', '东升', '恒通', '恒泰', '恒达', '恒昌',
  '恒远', '恒瑞', '瑞祥', '瑞达', '瑞鑫', '瑞和', '祥和', '祥瑞', '福泰', '福源', '福达', '福瑞', '康泰', '康达', '华兴',
  '华联', '华鑫', '华信', '华达', '华盛', '华瑞', '中瑞', '中诚', '中天', '天和', '天宇', '天瑞', '天泽', '天一', '正和',
  '正源', '正大', '大成', '大通', '通达', '通源', '汇丰', '汇鑫', '汇源', '汇泽', '聚源', '聚丰', '聚福', '广源', '广达',
  '广汇', '永泰', '永兴', '永安', '永恒', '永鑫', '兴达', '兴盛', '兴业', '兴华', '新华', '新宇', '新源', '新泰', '开元',
  '凯达', '凯旋', '卓越', '博瑞', '博达', '博雅', '精诚', '精工', '锦程', '锦华', '锦绣', '锦泰', '润达', '润丰', '润华',
  '丰源', '丰华', '丰达', '丰泰', '绿源', '绿洲', '青松', '长青', '长江', '江淮', '皖江', '淠河', '皋城', '九华', '秋浦',
  '铜都', '云冈', '御河', '平城', '雁北', '晋北', '塞北', '恒山', '星火', '众诚', '众鑫', '合力', '合众', '同心', '同益',
  '协力', '创新', '优品', '德信', '德馨', '德胜', '德隆', '隆盛', '隆达', '盛达', '盛源', '昌达', '昌隆', '嘉华', '嘉禾',
  '嘉豪', '佳和', '家和', '安康', '安泰', '安顺', '平安', '宝利', '宝丰', '宝源', '鑫泰', '鑫达', '鑫盛', '鑫隆', '鑫磊',
  '鑫宇', '亿达', '亿丰', '万通', '万顺', '万家', '千禧', '金冶', '大别', '九州', '神州', '华夏', '国泰', '民安', '民丰',
])

export type EnterpriseKind = 'company' | 'individual' | 'cooperative'

export type EnterpriseForm = {
  /** Appended after the industry word: 有限公司, 经营部, 农民专业合作社. */
  readonly suffix: string
  readonly weight: number
  readonly kind: EnterpriseKind
}

/**
 * Organisational forms with their share of registered market entities (individual businesses
 * outnumber companies roughly 2:1; the weights here count them at about half that, since the
 * generator's enterprises are the ones that pay wages, tax and insurance).
 */
export const ENTERPRISE_FORMS: readonly EnterpriseForm[] = deepFreeze([
  { suffix: '有限公司', weight: 0.42, kind: 'company' },
  { suffix: '有限责任公司', weight: 0.14, kind: 'company' },
  { suffix: '股份有限公司', weight: 0.015, kind: 'company' },
  { suffix: '经营部', weight: 0.09, kind: 'individual' },
  { suffix: '商行', weight: 0.07, kind: 'individual' },
  { suffix: '店', weight: 0.08, kind: 'individual' },
  { suffix: '门市部', weight: 0.03, kind: 'individual' },
  { suffix: '批发部', weight: 0.025, kind: 'individual' },
  { suffix: '超市', weight: 0.03, kind: 'individual' },
  { suffix: '工作室', weight: 0.02, kind: 'individual' },
  { suffix: '农民专业合作社', weight: 0.04, kind: 'cooperative' },
  { suffix: '种植专业合作社', weight: 0.015, kind: 'cooperative' },
  { suffix: '养殖专业合作社', weight: 0.01, kind: 'cooperative' },
])

// ---------------------------------------------------------------------------------------------
// Banks and other mortgagees
// ---------------------------------------------------------------------------------------------

export type MortgageeClass =
  | '国有大型商业银行'
  | '股份制商业银行'
  | '城市商业银行'
  | '农村商业银行'
  | '村镇银行'
  | '小额贷款公司'
  | '融资担保公司'

export type Bank = {
  /** The legal entity: 中国工商银行股份有限公司. */
  readonly headName: string
  readonly mortgageeClass: MortgageeClass
  readonly weight: number
  /** Only used in this province (城市商业银行). */
  readonly province?: string
  /** Only used in this city (value as in District.city). */
  readonly city?: string
  /** Only used in these districts (District.code), e.g. a county's own 农商行. */
  readonly districts?: readonly string[]
  /**
   * When true the mortgagee is a branch: `${headName}${BANK_BRANCH_LOCALITIES[city]}`, e.g.
   * 中国工商银行股份有限公司六安分行. When false headName is used as it is.
   */
  readonly branchPerCity: boolean
}

/**
 * Branch label per city (key: District.city). 大冶 is a county-level city, so banks there register
 * mortgages through their 大冶支行 (under the 黄石分行).
 */
export const BANK_BRANCH_LOCALITIES: Readonly<Record<string, string>> = deepFreeze({
  六安市: '六安分行',
  池州市: '池州分行',
  黄石市: '大冶支行',
  大同市: '大同分行',
})

export const MORTGAGEES: readonly Bank[] = deepFreeze([
  // 国有大型商业银行
  { headName: '中国建设银行股份有限公司', mortgageeClass: '国有大型商业银行', weight: 0.18, branchPerCity: true },
  { headName: '中国工商银行股份有限公司', mortgageeClass: '国有大型商业银行', weight: 0.14, branchPerCity: true },
  { headName: '中国农业银行股份有限公司', mortgageeClass: '国有大型商业银行', weight: 0.14, branchPerCity: true },
  { headName: '中国银行股份有限公司', mortgageeClass: '国有大型商业银行', weight: 0.09, branchPerCity: true },
  { headName: '中国邮政储蓄银行股份有限公司', mortgageeClass: '国有大型商业银行', weight: 0.07, branchPerCity: true },
  { headName: '交通银行股份有限公司', mortgageeClass: '国有大型商业银行', weight: 0.03, branchPerCity: true },
  // 股份制商业银行 (thinly present in cities of this size)
  { headName: '兴业银行股份有限公司', mortgageeClass: '股份制商业银行', weight: 0.012, branchPerCity: true },
  { headName: '中信银行股份有限公司', mortgageeClass: '股份制商业银行', weight: 0.01, branchPerCity: true },
  { headName: '招商银行股份有限公司', mortgageeClass: '股份制商业银行', weight: 0.008, branchPerCity: true },
  { headName: '中国光大银行股份有限公司', mortgageeClass: '股份制商业银行', weight: 0.006, branchPerCity: true },
  { headName: '中国民生银行股份有限公司', mortgageeClass: '股份制商业银行', weight: 0.006, branchPerCity: true },
  { headName: '华夏银行股份有限公司', mortgageeClass: '股份制商业银行', weight: 0.004, branchPerCity: true },
  // 城市商业银行, one province each (山西银行 absorbed 大同银行 in 2021)
  { headName: '徽商银行股份有限公司', mortgageeClass: '城市商业银行', weight: 0.07, province: '安徽省', branchPerCity: true },
  { headName: '湖北银行股份有限公司', mortgageeClass: '城市商业银行', weight: 0.05, province: '湖北省', branchPerCity: true },
  { headName: '晋商银行股份有限公司', mortgageeClass: '城市商业银行', weight: 0.04, province: '山西省', branchPerCity: true },
  { headName: '山西银行股份有限公司', mortgageeClass: '城市商业银行', weight: 0.04, province: '山西省', branchPerCity: true },
  // 农村商业银行, local legal entities
  { headName: '安徽六安农村商业银行股份有限公司', mortgageeClass: '农村商业银行', weight: 0.1, city: '六安市', districts: ['341502', '341503', '341504'], branchPerCity: false },
  { headName: '安徽霍邱农村商业银行股份有限公司', mortgageeClass: '农村商业银行', weight: 0.1, city: '六安市', districts: ['341522'], branchPerCity: false },
  { headName: '安徽舒城农村商业银行股份有限公司', mortgageeClass: '农村商业银行', weight: 0.1, city: '六安市', districts: ['341523'], branchPerCity: false },
  { headName: '安徽金寨农村商业银行股份有限公司', mortgageeClass: '农村商业银行', weight: 0.1, city: '六安市', districts: ['341524'], branchPerCity: false },
  { headName: '安徽霍山农村商业银行股份有限公司', mortgageeClass: '农村商业银行', weight: 0.1, city: '六安市', districts: ['341525'], branchPerCity: false },
  { headName: '安徽池州九华农村商业银行股份有限公司', mortgageeClass: '农村商业银行', weight: 0.1, city: '池州市', districts: ['341702'], branchPerCity: false },
  { headName: '安徽东至农村商业银行股份有限公司', mortgageeClass: '农村商业银行', weight: 0.1, city: '池州市', districts: ['341721'], branchPerCity: false },
  { headName: '安徽石台农村商业银行股份有限公司', mortgageeClass: '农村商业银行', weight: 0.1, city: '池州市', districts: ['341722'], branchPerCity: false },
  { headName: '安徽青阳农村商业银行股份有限公司', mortgageeClass: '农村商业银行', weight: 0.1, city: '池州市', districts: ['341723'], branchPerCity: false },
  { headName: '湖北大冶农村商业银行股份有限公司', mortgageeClass: '农村商业银行', weight: 0.1, city: '黄石市', branchPerCity: false },
  { headName: '山西大同农村商业银行股份有限公司', mortgageeClass: '农村商业银行', weight: 0.08, city: '大同市', branchPerCity: false },
  // 村镇银行
  { headName: '金寨徽银村镇银行有限责任公司', mortgageeClass: '村镇银行', weight: 0.01, city: '六安市', districts: ['341524'], branchPerCity: false },
  { headName: '大冶国开村镇银行有限责任公司', mortgageeClass: '村镇银行', weight: 0.01, city: '黄石市', branchPerCity: false },
  // 小额贷款公司 and 融资担保公司: plausible local names, not checked against real registrations
  { headName: '六安市金安区皖西小额贷款有限公司', mortgageeClass: '小额贷款公司', weight: 0.005, city: '六安市', branchPerCity: false },
  { headName: '池州市贵池区秋浦小额贷款有限公司', mortgageeClass: '小额贷款公司', weight: 0.005, city: '池州市', branchPerCity: false },
  { headName: '大冶市铜都小额贷款有限公司', mortgageeClass: '小额贷款公司', weight: 0.005, city: '黄石市', branchPerCity: false },
  { headName: '大同市平城区御河小额贷款有限公司', mortgageeClass: '小额贷款公司', weight: 0.005, city: '大同市', branchPerCity: false },
  { headName: '六安市融资担保有限公司', mortgageeClass: '融资担保公司', weight: 0.006, city: '六安市', branchPerCity: false },
  { headName: '池州市融资担保有限公司', mortgageeClass: '融资担保公司', weight: 0.006, city: '池州市', branchPerCity: false },
  { headName: '大冶市融资担保有限公司', mortgageeClass: '融资担保公司', weight: 0.006, city: '黄石市', branchPerCity: false },
  { headName: '大同市融资担保有限公司', mortgageeClass: '融资担保公司', weight: 0.006, city: '大同市', branchPerCity: false },
])

// ---------------------------------------------------------------------------------------------
// Tax and courts
// ---------------------------------------------------------------------------------------------

/** Tax types with their relative frequency among declaration records. */
export const TAX_TYPES: readonly Weighted[] = deepFreeze([
  { name: '增值税', weight: 0.28 },
  { name: '个人所得税(代扣代缴)', weight: 0.2 },
  { name: '城市维护建设税', weight: 0.16 },
  { name: '企业所得税', weight: 0.13 },
  { name: '印花税', weight: 0.1 },
  { name: '房产税', weight: 0.055 },
  { name: '城镇土地使用税', weight: 0.055 },
  { name: '土地增值税', weight: 0.01 },
  { name: '资源税', weight: 0.01 },
])

/**
 * The six situations of 《最高人民法院关于公布失信被执行人名单信息的若干规定》 art. 1, as
 * shown in the 失信行为具体情形 field, with their rough frequency in published lists.
 */
export const DISHONEST_BEHAVIOURS_WEIGHTED: readonly Weighted[] = deepFreeze([
  { name: '有履行能力而拒不履行生效法律文书确定义务', weight: 0.62 },
  { name: '违反财产报告制度', weight: 0.24 },
  { name: '违反限制消费令', weight: 0.07 },
  { name: '以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行', weight: 0.03 },
  { name: '无正当理由拒不履行执行和解协议', weight: 0.03 },
  { name: '以伪造证据、暴力、威胁等方法妨碍、抗拒执行', weight: 0.01 },
])

export const DISHONEST_BEHAVIOURS: readonly string[] = deepFreeze(DISHONEST_BEHAVIOURS_WEIGHTED.map((b) => b.name))

// ---------------------------------------------------------------------------------------------
// Vehicles
// ---------------------------------------------------------------------------------------------

/** Passenger-car brands as shown in registration records (中文品牌). */
export const VEHICLE_BRANDS: readonly string[] = deepFreeze([
  '比亚迪', '大众', '丰田', '本田', '吉利', '长安', '五菱', '哈弗', '特斯拉', '日产', '别克', '奇瑞', '宝马', '奔驰',
  '奥迪', '现代', '起亚', '福特', '雪佛兰', '马自达', '传祺', '荣威', '名爵', '领克', '理想', '蔚来', '小鹏', '零跑',
  '问界', '埃安', '红旗', '长城', '江淮', '东风风神', '宝骏', '斯柯达', '标致', '雪铁龙', '三菱', '凯迪拉克', '沃尔沃',
  '捷达', '欧拉', '坦克', '极氪', '哪吒', '北京', '东风风行', '小米', '金杯',
])

/** Truck and van brands, for 货车/牵引车 types. */
export const COMMERCIAL_VEHICLE_BRANDS: readonly string[] = deepFreeze([
  '解放', '东风', '中国重汽', '陕汽', '福田', '江铃', '江淮', '五菱', '长安', '金杯', '上汽大通', '依维柯', '北奔', '红岩',
  '大运', '华菱', '凯马', '唐骏', '跃进', '庆铃',
])

/** Body colours as recorded in registration (the ten single-character colour names). */
export const VEHICLE_COLORS: readonly Weighted[] = deepFreeze([
  { name: '白', weight: 0.42 },
  { name: '黑', weight: 0.2 },
  { name: '灰', weight: 0.17 },
  { name: '蓝', weight: 0.07 },
  { name: '红', weight: 0.06 },
  { name: '棕', weight: 0.03 },
  { name: '绿', weight: 0.02 },
  { name: '黄', weight: 0.015 },
  { name: '紫', weight: 0.005 },
  { name: '粉', weight: 0.005 },
])

export type VehicleType = {
  /** 车辆类型 as in GA 802. */
  readonly name: string
  readonly weight: number
  /** Goods vehicles and tractors; pick a brand from COMMERCIAL_VEHICLE_BRANDS. */
  readonly commercial: boolean
}

export const VEHICLE_TYPES: readonly VehicleType[] = deepFreeze([
  { name: '小型普通客车', weight: 0.5, commercial: false },
  { name: '小型轿车', weight: 0.33, commercial: false },
  { name: '小型越野客车', weight: 0.02, commercial: false },
  { name: '微型轿车', weight: 0.01, commercial: false },
  { name: '中型普通客车', weight: 0.004, commercial: false },
  { name: '大型普通客车', weight: 0.004, commercial: false },
  { name: '轻型普通货车', weight: 0.04, commercial: true },
  { name: '轻型厢式货车', weight: 0.025, commercial: true },
  { name: '微型普通货车', weight: 0.01, commercial: true },
  { name: '中型普通货车', weight: 0.006, commercial: true },
  { name: '重型仓栅式货车', weight: 0.008, commercial: true },
  { name: '重型自卸货车', weight: 0.01, commercial: true },
  { name: '重型半挂牵引车', weight: 0.013, commercial: true },
])

// ---------------------------------------------------------------------------------------------
// Buses
// ---------------------------------------------------------------------------------------------

/** Appended to a road or compound name to make a stop: 梅山路口, 皋城路东, 滨湖新城站. */
export const BUS_STOP_SUFFIXES: readonly string[] = deepFreeze(['站', '路口', '东', '西', '南', '北', '口', '首末站', '中段'])

/**
 * Stop-name templates. Tokens: {road} and {road2} (two roads of the district), {compound} (a
 * residential compound), {town} (a 镇/乡 from District.streets), {subdistrict} (a 街道 from
 * District.streets), {landmark} (from BUS_STOP_LANDMARKS or CITY_LANDMARKS), {suffix} (from
 * BUS_STOP_SUFFIXES).
 */
export const BUS_STOP_PATTERNS: readonly { readonly pattern: string; readonly weight: number }[] = deepFreeze([
  { pattern: '{road}与{road2}交口', weight: 0.2 },
  { pattern: '{road}{suffix}', weight: 0.18 },
  { pattern: '{compound}', weight: 0.14 },
  { pattern: '{compound}站', weight: 0.06 },
  { pattern: '{landmark}', weight: 0.22 },
  { pattern: '{town}政府', weight: 0.05 },
  { pattern: '{subdistrict}办事处', weight: 0.03 },
  { pattern: '{town}客运站', weight: 0.02 },
  { pattern: '{landmark}{suffix}', weight: 0.02 },
])

/** Landmarks every town has; city-specific ones are in CITY_LANDMARKS. */
export const BUS_STOP_LANDMARKS: readonly string[] = deepFreeze([
  '市人民医院', '市中医院', '妇幼保健院', '火车站', '高铁站', '汽车站', '客运中心', '人民广场', '市政府', '区政府',
  '第一中学', '第二中学', '实验小学', '实验中学', '职业技术学院', '体育中心', '图书馆', '博物馆', '工业园', '开发区管委会',
  '农贸市场', '批发市场', '供电公司', '政务服务中心', '公交公司', '人民公园', '烈士陵园', '汽车城', '步行街', '新华书店',
  '邮政局', '税务局', '公安局', '文化广场', '中心医院', '老城区', '建材市场', '物流园', '污水处理厂', '党校',
])

// ---------------------------------------------------------------------------------------------
// Elderly care
// ---------------------------------------------------------------------------------------------

/** Levels of GB/T 42195-2022 老年人能力评估规范, with rough shares among residents aged 60+. */
export const ELDERLY_CARE_LEVELS: readonly Weighted[] = deepFreeze([
  { name: '能力完好', weight: 0.72 },
  { name: '轻度失能', weight: 0.14 },
  { name: '中度失能', weight: 0.07 },
  { name: '重度失能', weight: 0.045 },
  { name: '完全失能', weight: 0.025 },
])

/** Subsidies an older person may receive (most receive none). */
export const ELDERLY_SUBSIDIES: readonly Weighted[] = deepFreeze([
  { name: '无', weight: 0.74 },
  { name: '高龄津贴', weight: 0.16 },
  { name: '经济困难老年人服务补贴', weight: 0.06 },
  { name: '失能老年人护理补贴', weight: 0.04 },
])

export type ElderlyInstitutionNameParts = {
  /** Brand-like words: 夕阳红, 福寿, 康乐. */
  readonly prefixes: readonly string[]
  readonly suffixes: readonly string[]
  /**
   * Templates. Tokens: {city} {district} (District.name), {town} (a 镇/乡), {subdistrict} (a 街道),
   * {prefix}, {suffix}. Rural 敬老院 are named after their town, private homes after a brand word.
   */
  readonly patterns: readonly string[]
}

export const ELDERLY_INSTITUTION_NAME_PARTS: ElderlyInstitutionNameParts = deepFreeze({
  prefixes: [
    '夕阳红', '福寿', '康乐', '颐养', '松鹤', '康馨', '同心', '幸福', '福康', '安康', '孝心', '爱心', '福乐', '长寿', '颐和',
    '怡园', '和美', '乐龄', '仁爱', '恒康', '晚晴', '百福', '德福', '椿萱',
  ],
  suffixes: [
    '养老院', '敬老院', '养老服务中心', '老年公寓', '颐养院', '康养中心', '护理院', '颐养中心', '养护院', '老年养护中心',
  ],
  patterns: [
    '{town}中心敬老院', '{town}敬老院', '{city}社会福利院', '{district}社会福利中心', '{district}{prefix}{suffix}',
    '{city}{prefix}{suffix}', '{subdistrict}社区居家养老服务中心', '{subdistrict}日间照料中心', '{town}区域性养老服务中心',
  ],
})

// ---------------------------------------------------------------------------------------------
// Utilities
// ---------------------------------------------------------------------------------------------

export type UtilityKind = 'water' | 'gas' | 'power'

export type UtilityCompany = {
  readonly utility: UtilityKind
  readonly name: string
  /** Value as in District.city. */
  readonly city: string
}

/**
 * One supplier per utility and city. 六安's water and gas companies are the ones named in its
 * plan; the State Grid companies follow State Grid's naming. The water and gas companies of
 * 池州, 大冶 and 大同 are generic placeholders, not the real suppliers' names.
 */
export const UTILITY_COMPANIES: readonly UtilityCompany[] = deepFreeze([
  { utility: 'water', name: '六安市三峡智慧水管家有限责任公司', city: '六安市' },
  { utility: 'gas', name: '六安新奥燃气有限公司', city: '六安市' },
  { utility: 'power', name: '国网安徽省电力有限公司六安供电公司', city: '六安市' },
  { utility: 'water', name: '池州市供水有限公司', city: '池州市' },
  { utility: 'gas', name: '池州市燃气有限公司', city: '池州市' },
  { utility: 'power', name: '国网安徽省电力有限公司池州供电公司', city: '池州市' },
  { utility: 'water', name: '大冶市供水有限公司', city: '黄石市' },
  { utility: 'gas', name: '大冶市燃气有限公司', city: '黄石市' },
  { utility: 'power', name: '国网湖北省电力有限公司大冶市供电公司', city: '黄石市' },
  { utility: 'water', name: '大同市供水有限责任公司', city: '大同市' },
  { utility: 'gas', name: '大同市燃气有限责任公司', city: '大同市' },
  { utility: 'power', name: '国网山西省电力公司大同供电公司', city: '大同市' },
])

// ---------------------------------------------------------------------------------------------
// Market regulation (市场监管): annual reports, the abnormal list, penalties, exits
// ---------------------------------------------------------------------------------------------

/**
 * Yearly operating revenue per worker of a small firm in a county town, 万元, by GB/T 4754 门类.
 * An assumption of this generator (orders of magnitude only): trade and property turn over much
 * per head, services and catering little.
 */
export const REVENUE_PER_WORKER: Readonly<Record<string, number>> = deepFreeze({
  A: 18, B: 70, C: 55, D: 110, E: 45, F: 75, G: 40, H: 14, I: 38, J: 55, K: 140, L: 28, M: 32, N: 28, O: 12,
  P: 14, Q: 24, R: 20,
})

/**
 * Why an enterprise is put on the list of abnormal operations (《企业经营异常名录管理暂行办法》,
 * 工商总局令第68号, art. 4) and how it comes off again (art. 10–13), as GSXT shows them.
 */
export const ABNORMAL_LIST_REASONS = deepFreeze([
  { listed: '未按照规定的期限公示年度报告', removed: '补报未报年份的年度报告并公示' },
  { listed: '未在责令的期限内公示有关企业信息', removed: '依照责令履行公示义务' },
  { listed: '公示企业信息隐瞒真实情况、弄虚作假', removed: '更正其公示的信息' },
  { listed: '通过登记的住所或者经营场所无法联系', removed: '依法办理住所变更登记或者提出通过登记的住所可以重新取得联系' },
] as const)

/**
 * Why an enterprise is put on the list of serious violations and dishonesty
 * (《市场监督管理严重违法失信名单管理办法》, 总局令第44号, 2021).
 */
export const SERIOUS_VIOLATION_REASONS = deepFreeze([
  '被列入经营异常名录届满3年仍未履行相关义务',
  '实施食品安全领域严重违法行为',
  '实施产品质量领域严重违法行为',
  '实施虚假广告等破坏公平竞争秩序的严重违法行为',
  '拒不执行生效行政处罚决定',
] as const)

/** How an enterprise comes off that list (信用修复). */
export const SERIOUS_VIOLATION_REMOVALS = deepFreeze(['履行相关义务后申请信用修复', '列入届满3年期满移出'] as const)

/**
 * Violations market regulators penalize most, with the industries they happen in (GB/T 4754
 * letters; empty: any), their relative frequency and the typical fine (元). `kind` indexes
 * PENALTY_KINDS. Frequencies are assumptions; the violations are the common ones of published
 * 行政处罚决定书.
 */
export type PenaltyViolation = {
  readonly name: string
  readonly industries: string
  readonly weight: number
  readonly fine: number
  readonly kind: number
  /** The serious-violation reason (SERIOUS_VIOLATION_REASONS) a grave case of it leads to, or -1. */
  readonly serious: number
}

export const PENALTY_VIOLATIONS: readonly PenaltyViolation[] = deepFreeze([
  { name: '经营不符合食品安全标准的食品', industries: 'FHC', weight: 0.2, fine: 8000, kind: 2, serious: 1 },
  { name: '未按规定查验记录进货凭证', industries: 'FH', weight: 0.1, fine: 3000, kind: 1, serious: -1 },
  { name: '发布虚假广告', industries: '', weight: 0.1, fine: 20000, kind: 1, serious: 3 },
  { name: '销售不合格产品', industries: 'FC', weight: 0.12, fine: 15000, kind: 2, serious: 2 },
  { name: '生产不合格产品', industries: 'C', weight: 0.05, fine: 50000, kind: 2, serious: 2 },
  { name: '价格违法行为', industries: 'FHOK', weight: 0.08, fine: 5000, kind: 1, serious: -1 },
  { name: '使用未经检定的计量器具', industries: 'FCG', weight: 0.07, fine: 2000, kind: 0, serious: -1 },
  { name: '侵犯注册商标专用权', industries: 'FC', weight: 0.06, fine: 30000, kind: 2, serious: -1 },
  { name: '特种设备未经定期检验继续使用', industries: 'CEGH', weight: 0.05, fine: 30000, kind: 1, serious: -1 },
  { name: '未取得许可从事经营活动', industries: '', weight: 0.07, fine: 10000, kind: 2, serious: -1 },
  { name: '不正当竞争（商业贿赂、虚假宣传）', industries: 'FKLI', weight: 0.05, fine: 50000, kind: 2, serious: 3 },
  { name: '未按规定办理变更登记', industries: '', weight: 0.05, fine: 1000, kind: 0, serious: -1 },
] as const)

/** Kinds of penalty (《行政处罚法》 art. 9) as a penalty decision names them. */
export const PENALTY_KINDS = deepFreeze(['警告', '罚款', '没收违法所得、罚款', '责令停产停业、罚款', '吊销许可证件'] as const)

/** Why a business licence is revoked (《公司法》 art. 260, 《市场主体登记管理条例》 art. 44–46). */
export const REVOCATION_REASONS = deepFreeze([
  { name: '成立后无正当理由超过六个月未开业，或者开业后自行停业连续六个月以上', weight: 0.88 },
  { name: '提交虚假材料或者采取其他欺诈手段隐瞒重要事实取得登记，情节严重', weight: 0.05 },
  { name: '利用市场主体登记从事严重违法活动', weight: 0.04 },
  { name: '伪造、涂改、出租、出借、转让营业执照', weight: 0.03 },
] as const)

/** Why an enterprise is deregistered (注销原因) and how (简易注销 since 2015, 一般注销). */
export const DEREGISTRATION_REASONS = deepFreeze([
  { name: '决议解散', weight: 0.62 },
  { name: '营业期限届满', weight: 0.06 },
  { name: '因合并、分立解散', weight: 0.03 },
  { name: '个体工商户歇业', weight: 0.2 },
  { name: '其他原因', weight: 0.09 },
  // only after a revocation (吊销后注销), never drawn
  { name: '被吊销营业执照', weight: 0 },
] as const)

/** The abbreviation of a district's market regulator in its document numbers: 冶市监处罚〔2024〕12号. */
export const REGULATOR_ABBREVIATIONS: Readonly<Record<string, string>> = deepFreeze({
  '420281': '冶', '341502': '金', '341503': '裕', '341504': '叶', '341522': '霍邱', '341523': '舒', '341524': '金寨',
  '341525': '霍山', '341702': '贵', '341721': '东至', '341722': '石台', '341723': '青阳', '140212': '新荣',
  '140213': '平城', '140214': '云冈', '140215': '云州', '140221': '阳高', '140222': '天镇', '140223': '广灵',
  '140224': '灵丘', '140225': '浑源', '140226': '左云',
})

// ---------------------------------------------------------------------------------------------
// Civil affairs, disability, housing security, medical insurance
// ---------------------------------------------------------------------------------------------

/**
 * GB/T 2260 codes of places near each city, for residents' spouses registered elsewhere (their IDs
 * carry the code of where they were born; a few are codes since abolished, as old IDs keep them).
 */
export const NEIGHBOURING_ADMIN_CODES: Readonly<Record<string, readonly string[]>> = deepFreeze({
  六安市: ['340104', '340111', '340121', '340402', '341602', '411502', '411524'],
  池州市: ['340802', '340822', '340705', '341002', '341003', '360402'],
  黄石市: ['420202', '420203', '420222', '420704', '421102', '420111', '421181'],
  大同市: ['140202', '140602', '140105', '130705', '150102', '140624'],
})

/** 残疾类别 in the order of the category digit of a 残疾人证号 (1 视力 … 7 多重). */
export const DISABILITY_TYPES = deepFreeze(['视力残疾', '听力残疾', '言语残疾', '肢体残疾', '智力残疾', '精神残疾', '多重残疾'] as const)

/** 残疾等级 (GB/T 26341-2010), 一级 the most severe. */
export const DISABILITY_GRADES = deepFreeze(['一级', '二级', '三级', '四级'] as const)

/** What a disabled person most needs, as the 残联's survey of needs (残疾人基本服务需求) records it. */
export const DISABILITY_SERVICE_NEEDS = deepFreeze(['康复服务', '辅助器具', '托养服务', '居家照护', '无'] as const)

/** Who public rental housing (公租房) is for, as 住建 records the applicant's category. */
export const HOUSING_SECURITY_CATEGORIES = deepFreeze(['城镇低保家庭', '城镇低收入住房困难家庭', '中等偏下收入住房困难家庭', '新就业无房职工', '外来务工人员'] as const)

/** Bands of a household's monthly income per member, as an application records it. */
export const INCOME_BANDS = deepFreeze(['1000元以下', '1000-2000元', '2000-3000元', '3000元以上'] as const)

/** 人员类别 of medical insurance. */
export const MEDICAL_INSURANCE_CATEGORIES = deepFreeze([
  '在职职工', '退休人员', '灵活就业人员', '城乡居民（成年）', '城乡居民（老年）', '城乡居民（学生儿童）',
] as const)

/** Groups whose residents' premium the state pays in full or in part (资助参保, 医疗救助对象). */
export const MEDICAL_ASSISTANCE_CATEGORIES = deepFreeze(['特困人员', '低保对象', '重度残疾人', '防止返贫监测对象'] as const)

/**
 * New and second-hand homes' price per m², yuan, in 2025 (the level housing.ts lets and mortgages
 * at), and the index of earlier years against 2025 (prices rose until 2021 and have eased since;
 * a rough shape of 国家统计局's 70-city series for third-tier cities, an assumption in detail).
 */
export const HOUSE_PRICE_2025: Readonly<Record<string, number>> = deepFreeze({ 六安市: 7200, 池州市: 6300, 黄石市: 5600, 大同市: 7600 })
export const HOUSE_PRICE_INDEX: Readonly<Record<number, number>> = deepFreeze({
  2008: 0.52, 2009: 0.54, 2010: 0.59, 2011: 0.63, 2012: 0.65, 2013: 0.69, 2014: 0.7, 2015: 0.71, 2016: 0.77,
  2017: 0.9, 2018: 0.99, 2019: 1.05, 2020: 1.09, 2021: 1.15, 2022: 1.12, 2023: 1.08, 2024: 1.03, 2025: 1,
})

/** Why an online-signed sale contract was cancelled (网签撤销), with rough frequencies. */
export const SALE_CANCEL_REASONS: readonly Weighted[] = deepFreeze([
  { name: '买受人贷款未获批准', weight: 0.35 },
  { name: '买卖双方协商解除', weight: 0.4 },
  { name: '合同信息录入错误', weight: 0.15 },
  { name: '房屋被司法查封', weight: 0.1 },
])
