// Geohash scores, positions and distances against redis-server 7.0.15 (Palermo 3479099956230698,
// GEOHASH sqc8b49rny0 / sqdtr74hyu0) and the encode(decode(x)) == x invariant.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testSeed } from '../base/test-seed.ts';
import { distanceText, geoDistance, geohashDecode, geohashEncode, geohashString, humanCoord } from './geohash.ts';

describe('geohash', () => {
  it('encodes Palermo and Catania as redis 7.0.15 does', () => {
    expect(geohashEncode(13.361389, 38.115556)).toBe(3479099956230698n);
    expect(geohashString(3479099956230698)).toBe('sqc8b49rny0');
    const catania = geohashEncode(15.087269, 37.502669) as bigint;
    expect(geohashString(Number(catania))).toBe('sqdtr74hyu0');
  });

  it('decodes to the cell centre with human formatting and measures haversine distances', () => {
    const [lon, lat] = geohashDecode(3479099956230698n);
    expect([humanCoord(lon), humanCoord(lat)]).toEqual(['13.36138933897018433', '38.11555639549629859']);
    const [lon2, lat2] = geohashDecode(geohashEncode(15.087269, 37.502669) as bigint);
    expect(distanceText(geoDistance(lon, lat, lon2, lat2))).toBe('166274.1516');
  });

  it('rejects positions outside the Web Mercator range', () => {
    expect(geohashEncode(181, 0)).toBeNull();
    expect(geohashEncode(0, 85.06)).toBeNull();
  });

  it('re-encoding a decoded score gives the score back', () => {
    fc.assert(
      fc.property(fc.double({ min: -180, max: 180, noNaN: true }), fc.double({ min: -85.05112878, max: 85.05112878, noNaN: true }), (lo, la) => {
        const bits = geohashEncode(lo, la) as bigint;
        const [x, y] = geohashDecode(bits);
        expect(geohashEncode(x, y)).toBe(bits);
      }),
      { seed: testSeed(process.env) },
    );
  });
});
