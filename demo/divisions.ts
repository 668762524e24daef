/**
 * The demo world's administrative divisions: part of Guangdong province with its real
 * GB/T 2260 codes for province, prefecture-level cities and districts, and townships
 * (streets and towns) under them with GB/T 10114-style 9-digit codes. Boundaries are
 * simplified to rectangles near the real places (a district's strip of townships; a city's
 * boundary is the union of its districts'), which is enough for point-in-polygon lookups.
 */

export type DivisionLevel = 'PROVINCE' | 'CITY' | 'COUNTY' | 'TOWNSHIP';

export interface Division {
  readonly code: string;
  readonly name: string;
  readonly level: DivisionLevel;
  readonly parentCode: string | null;
  /** GeoJSON MultiPolygon coordinates: [[[ [lng, lat], … ]]]. */
  readonly boundary: { readonly type: 'MultiPolygon'; readonly coordinates: number[][][][] };
}

type Box = readonly [west: number, south: number, east: number, north: number];

interface CountySpec {
  readonly code: string;
  readonly name: string;
  readonly box: Box;
  readonly townships: readonly string[];
}

const CITIES: readonly { code: string; name: string; counties: readonly CountySpec[] }[] = [
  {
    code: '440100',
    name: '广州市',
    counties: [
      { code: '440103', name: '荔湾区', box: [113.2, 23.04, 113.255, 23.16], townships: ['沙面街道', '岭南街道', '华林街道', '多宝街道'] },
      { code: '440104', name: '越秀区', box: [113.255, 23.1, 113.31, 23.16], townships: ['北京街道', '人民街道', '东山街道', '农林街道'] },
      { code: '440106', name: '天河区', box: [113.31, 23.1, 113.44, 23.24], townships: ['沙河街道', '五山街道', '员村街道', '车陂街道', '石牌街道'] },
      { code: '440111', name: '白云区', box: [113.15, 23.16, 113.31, 23.43], townships: ['三元里街道', '松洲街道', '景泰街道', '同和街道'] },
    ],
  },
  {
    code: '440300',
    name: '深圳市',
    counties: [
      { code: '440303', name: '罗湖区', box: [114.09, 22.53, 114.2, 22.62], townships: ['桂园街道', '黄贝街道', '东门街道', '翠竹街道'] },
      { code: '440304', name: '福田区', box: [113.99, 22.5, 114.09, 22.59], townships: ['园岭街道', '南园街道', '福田街道', '沙头街道'] },
      { code: '440305', name: '南山区', box: [113.85, 22.47, 113.99, 22.62], townships: ['南头街道', '南山街道', '粤海街道', '蛇口街道'] },
    ],
  },
  {
    code: '440600',
    name: '佛山市',
    counties: [
      { code: '440604', name: '禅城区', box: [113.03, 22.95, 113.15, 23.07], townships: ['祖庙街道', '石湾镇街道', '张槎街道', '南庄镇'] },
      { code: '440605', name: '南海区', box: [112.85, 22.95, 113.03, 23.25], townships: ['桂城街道', '九江镇', '西樵镇', '大沥镇'] },
      { code: '440606', name: '顺德区', box: [113.03, 22.7, 113.35, 22.95], townships: ['大良街道', '容桂街道', '伦教街道', '北滘镇'] },
    ],
  },
];

const round = (n: number): number => Math.round(n * 1e6) / 1e6;

function ring([w, s, e, n]: Box): number[][] {
  return [[w, s], [e, s], [e, n], [w, n], [w, s]].map(([x, y]) => [round(x!), round(y!)]);
}

function buildDivisions(): Division[] {
  const out: Division[] = [];
  const provinceRings: number[][][][] = [];
  const cities: Division[] = [];
  const counties: Division[] = [];
  const townships: Division[] = [];
  for (const city of CITIES) {
    const cityRings: number[][][][] = [];
    for (const county of city.counties) {
      cityRings.push([ring(county.box)]);
      counties.push({ code: county.code, name: county.name, level: 'COUNTY', parentCode: city.code, boundary: { type: 'MultiPolygon', coordinates: [[ring(county.box)]] } });
      const [w, s, e, n] = county.box;
      const width = (e - w) / county.townships.length;
      county.townships.forEach((name, t) => {
        const box: Box = [w + t * width, s, w + (t + 1) * width, n];
        townships.push({
          code: `${county.code}${String(t + 1).padStart(3, '0')}`,
          name,
          level: 'TOWNSHIP',
          parentCode: county.code,
          boundary: { type: 'MultiPolygon', coordinates: [[ring(box)]] },
        });
      });
    }
    provinceRings.push(...cityRings);
    cities.push({ code: city.code, name: city.name, level: 'CITY', parentCode: '440000', boundary: { type: 'MultiPolygon', coordinates: cityRings } });
  }
  out.push({ code: '440000', name: '广东省', level: 'PROVINCE', parentCode: null, boundary: { type: 'MultiPolygon', coordinates: provinceRings } });
  return [...out, ...cities, ...counties, ...townships];
}

export const DIVISIONS: readonly Division[] = Object.freeze(buildDivisions());

export const TOWNSHIPS: readonly Division[] = DIVISIONS.filter((d) => d.level === 'TOWNSHIP');

const BY_CODE = new Map(DIVISIONS.map((d) => [d.code, d]));

export function divisionByCode(code: string): Division | undefined {
  return BY_CODE.get(code);
}

/** Province, city, county, township names joined: the start of an address. */
export function divisionPath(code: string): string {
  const names: string[] = [];
  for (let d = BY_CODE.get(code); d; d = d.parentCode ? BY_CODE.get(d.parentCode) : undefined) names.unshift(d.name);
  return names.join('');
}

/** The centre of a division's first polygon: where the demo places parcels and addresses. */
export function divisionCentre(division: Division): [number, number] {
  const first = division.boundary.coordinates[0]![0]!;
  const xs = first.map((p) => p[0]!);
  const ys = first.map((p) => p[1]!);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}
