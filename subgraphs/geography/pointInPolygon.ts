/**
 * Exact point-in-polygon for GeoJSON (RFC 7946) areas, by ray casting.
 *
 * Glossary:
 * - ring: a closed line of [lng, lat] positions; a polygon's first ring is its exterior,
 *   the others are holes.
 * - MultiPolygon: several polygons that together make one area (a city as its districts).
 *
 * Points exactly on a boundary follow a half-open rule (the west and south edges of a box
 * belong to it, the east and north edges do not), so a point on the edge shared by two
 * adjacent divisions falls in exactly one of them.
 */

export type Position = readonly number[];
export type Ring = readonly Position[];

export type AreaGeometry =
  | { readonly type: 'Polygon'; readonly coordinates: readonly Ring[] }
  | { readonly type: 'MultiPolygon'; readonly coordinates: readonly (readonly Ring[])[] };

/** Whether a horizontal ray from the point towards +lng crosses the ring an odd number of times. */
function inRing(lng: number, lat: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const xi = ring[i]![0]!;
    const yi = ring[i]![1]!;
    const xj = ring[j]![0]!;
    const yj = ring[j]![1]!;
    // Comparing with `>` on both ends counts a vertex once, whichever way the ray meets it.
    if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(lng: number, lat: number, rings: readonly Ring[]): boolean {
  const [exterior, ...holes] = rings;
  if (!exterior || !inRing(lng, lat, exterior)) return false;
  return !holes.some((hole) => inRing(lng, lat, hole));
}

/** Whether the point (WGS 84 longitude, latitude) lies in the area. */
export function pointInPolygon(lng: number, lat: number, area: AreaGeometry): boolean {
  switch (area.type) {
    case 'Polygon':
      return inPolygon(lng, lat, area.coordinates);
    case 'MultiPolygon':
      return area.coordinates.some((polygon) => inPolygon(lng, lat, polygon));
    default: {
      const unreachable: never = area;
      throw new TypeError(`pointInPolygon expects a GeoJSON Polygon or MultiPolygon, received type ${JSON.stringify((unreachable as { type?: unknown }).type)}`);
    }
  }
}

/** The [west, south, east, north] box around an area: the cheap filter before the exact test. */
export function boundingBox(area: AreaGeometry): [west: number, south: number, east: number, north: number] {
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  const polygons = area.type === 'Polygon' ? [area.coordinates] : area.coordinates;
  for (const polygon of polygons) {
    // Holes lie inside their exterior ring, so the exterior alone bounds the polygon.
    for (const [lng, lat] of polygon[0] ?? []) {
      west = Math.min(west, lng!);
      east = Math.max(east, lng!);
      south = Math.min(south, lat!);
      north = Math.max(north, lat!);
    }
  }
  if (west > east) throw new RangeError('boundingBox: the area has no positions');
  return [west, south, east, north];
}
