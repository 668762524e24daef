import { describe, expect, it } from 'vitest';
import { boundingBox, pointInPolygon, type AreaGeometry } from './pointInPolygon.ts';

const square = (w: number, s: number, e: number, n: number) => [[w, s], [e, s], [e, n], [w, n], [w, s]];

/** A 10×10 square with a 2×2 hole in the middle, and a separate unit square to the east. */
const area: AreaGeometry = {
  type: 'MultiPolygon',
  coordinates: [
    [square(0, 0, 10, 10), square(4, 4, 6, 6)],
    [square(20, 0, 21, 1)],
  ],
};

describe('pointInPolygon', () => {
  it('finds points inside any polygon of a MultiPolygon', () => {
    expect(pointInPolygon(1, 1, area)).toBe(true);
    expect(pointInPolygon(9.5, 9.5, area)).toBe(true);
    expect(pointInPolygon(20.5, 0.5, area)).toBe(true);
  });

  it('leaves out points outside every polygon', () => {
    expect(pointInPolygon(15, 5, area)).toBe(false);
    expect(pointInPolygon(-1, 5, area)).toBe(false);
    expect(pointInPolygon(5, 11, area)).toBe(false);
  });

  it('respects holes', () => {
    expect(pointInPolygon(5, 5, area)).toBe(false);
    expect(pointInPolygon(3.9, 5, area)).toBe(true);
  });

  it('handles concave rings and ray passing through vertices', () => {
    // A "U": the notch between x 2..4 above y 2 is outside.
    const u: AreaGeometry = { type: 'Polygon', coordinates: [[[0, 0], [6, 0], [6, 6], [4, 6], [4, 2], [2, 2], [2, 6], [0, 6], [0, 0]]] };
    expect(pointInPolygon(3, 4, u)).toBe(false);
    expect(pointInPolygon(1, 4, u)).toBe(true);
    expect(pointInPolygon(5, 4, u)).toBe(true);
    // The ray from (1, 2) runs along the notch's floor and through two vertices.
    expect(pointInPolygon(1, 2, u)).toBe(true);
    // A diamond whose vertex lies on the ray at the same latitude as the point.
    const diamond: AreaGeometry = { type: 'Polygon', coordinates: [[[0, 1], [1, 0], [2, 1], [1, 2], [0, 1]]] };
    expect(pointInPolygon(1, 1, diamond)).toBe(true);
    expect(pointInPolygon(-1, 1, diamond)).toBe(false);
    expect(pointInPolygon(3, 1, diamond)).toBe(false);
  });

  it('puts a point on an edge shared by two adjacent boxes in exactly one of them', () => {
    const west: AreaGeometry = { type: 'Polygon', coordinates: [square(0, 0, 1, 1)] };
    const east: AreaGeometry = { type: 'Polygon', coordinates: [square(1, 0, 2, 1)] };
    for (const lat of [0, 0.25, 0.5, 0.999]) {
      expect([pointInPolygon(1, lat, west), pointInPolygon(1, lat, east)].filter(Boolean)).toHaveLength(1);
    }
  });

  it('rejects what is not an area', () => {
    expect(() => pointInPolygon(0, 0, { type: 'Point', coordinates: [0, 0] } as never)).toThrow(/Polygon or MultiPolygon/);
  });
});

describe('boundingBox', () => {
  it('bounds every polygon of a MultiPolygon', () => {
    expect(boundingBox(area)).toEqual([0, 0, 21, 10]);
  });
});
