// The geohash cells a GEORADIUS / GEOSEARCH scans, as Redis picks them (redis 7.0.15 and 4.0.14
// geohash_helper.c geohashGetAreasByShapeWGS84 / geohashGetAreasByRadius, geohash.c geohashEncode,
// geohashNeighbors, geohashDecode, geo.c membersOfAllNeighbors): a step (cell size) estimated from
// the radius, the centre's cell at that step and its 8 neighbours, some dropped when the bounding
// box of the shape does not reach them. A member is found only when its score falls in one of the
// cells' score ranges, so the cells decide both what is found at the edges (a member at longitude
// 180, whose score carries a bit past the 52, is found only from a centre whose cell carries it
// too) and the order of an unsorted reply (cell by cell, by score within a cell).
//
// The two profiles differ in the bounding box and the test that lowers the step: 4.0 used a box of
// the radius at the centre's latitude and compared distances; 7.0 widens the box by the latitude at
// its far edge (the width at the top or the bottom, by hemisphere) and compares cell edges with it.
//
// Invariants: hash bits are unsigned 64-bit values (BigInt masked to 64 bits after every operation
// that C does on uint64_t); a cell is "zero" (dropped) when both its bits and its step are 0.

import { GEO_LAT_MAX, GEO_LAT_MIN, GEO_LONG_MAX, GEO_LONG_MIN, geoDistance, interleaveCells, splitCells } from './geohash.ts';

export interface GeoCell {
  bits: bigint;
  step: number;
}

export interface GeoShapeArgs {
  lon: number;
  lat: number;
  type: 'circle' | 'box';
  /** In the unit given (meters times conv). */
  radius: number;
  width: number;
  height: number;
  conv: number;
}

interface Area {
  lonMin: number;
  lonMax: number;
  latMin: number;
  latMax: number;
}

const U64 = (1n << 64n) - 1n;
const ODD = 0xaaaaaaaaaaaaaaaan;
const EVEN = 0x5555555555555555n;
const MERCATOR_MAX = 20037726.37;
const EARTH_RADIUS_IN_METERS = 6372797.560856;
const degToRad = (d: number): number => (d * Math.PI) / 180;
const radToDeg = (r: number): number => (r * 180) / Math.PI;

/** redis: geohashEstimateStepsByRadius. */
export function estimateSteps(rangeMeters: number, lat: number): number {
  if (rangeMeters === 0) return 26;
  let step = 1;
  while (rangeMeters < MERCATOR_MAX) {
    rangeMeters *= 2;
    step++;
  }
  step -= 2;
  if (lat > 66 || lat < -66) {
    step--;
    if (lat > 80 || lat < -80) step--;
  }
  return Math.min(26, Math.max(1, step));
}

/** redis: geohashEncode over the WGS84 ranges at `step` (C converts the offsets to uint32_t). */
function encodeCell(lon: number, lat: number, step: number): GeoCell {
  const cells = 2 ** step;
  const latOff = ((lat - GEO_LAT_MIN) / (GEO_LAT_MAX - GEO_LAT_MIN)) * cells;
  const lonOff = ((lon - GEO_LONG_MIN) / (GEO_LONG_MAX - GEO_LONG_MIN)) * cells;
  return { bits: interleaveCells(Math.trunc(latOff), Math.trunc(lonOff)), step };
}

/** redis: geohashDecode: the cell's edges. */
function decodeCell(c: GeoCell): Area {
  const [ilat, ilon] = splitCells(c.bits);
  const cells = 2 ** c.step;
  const latScale = GEO_LAT_MAX - GEO_LAT_MIN;
  const lonScale = GEO_LONG_MAX - GEO_LONG_MIN;
  return {
    latMin: GEO_LAT_MIN + ((ilat * 1.0) / cells) * latScale,
    latMax: GEO_LAT_MIN + (((ilat + 1) * 1.0) / cells) * latScale,
    lonMin: GEO_LONG_MIN + ((ilon * 1.0) / cells) * lonScale,
    lonMax: GEO_LONG_MIN + (((ilon + 1) * 1.0) / cells) * lonScale,
  };
}

/**
 * redis: geohash_move_x (axis = the odd bits, longitude) and geohash_move_y (axis = the even bits,
 * latitude): the axis's cell index steps by d, wrapping at the step's width; the other axis's bits
 * are kept as they are (overflow bits included).
 */
function move(c: GeoCell, d: number, axis: bigint): GeoCell {
  if (d === 0) return c;
  const other = axis === ODD ? EVEN : ODD;
  const shift = BigInt(64 - c.step * 2);
  const zz = other >> shift;
  let v = c.bits & axis;
  v = d > 0 ? (v + zz + 1n) & U64 : ((v | zz) - (zz + 1n)) & U64;
  v &= axis >> shift;
  return { bits: v | (c.bits & other), step: c.step };
}
const moveX = (c: GeoCell, d: number): GeoCell => move(c, d, ODD);
const moveY = (c: GeoCell, d: number): GeoCell => move(c, d, EVEN);

const ZERO: GeoCell = { bits: 0n, step: 0 };

/** [lonMin, latMin, lonMax, latMax] of the shape (redis: geohashBoundingBox, per profile). */
function boundingBox(s: GeoShapeArgs, profile: 'redis-4.0' | 'redis-7.0'): [number, number, number, number] {
  if (profile === 'redis-4.0') {
    const r = s.radius * s.conv;
    const dLon = radToDeg(r / EARTH_RADIUS_IN_METERS / Math.cos(degToRad(s.lat)));
    const dLat = radToDeg(r / EARTH_RADIUS_IN_METERS);
    return [s.lon - dLon, s.lat - dLat, s.lon + dLon, s.lat + dLat];
  }
  const height = s.conv * (s.type === 'circle' ? s.radius : s.height / 2);
  const width = s.conv * (s.type === 'circle' ? s.radius : s.width / 2);
  const dLat = radToDeg(height / EARTH_RADIUS_IN_METERS);
  const dLonTop = radToDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degToRad(s.lat + dLat)));
  const dLonBottom = radToDeg(width / EARTH_RADIUS_IN_METERS / Math.cos(degToRad(s.lat - dLat)));
  const south = s.lat < 0;
  return [south ? s.lon - dLonBottom : s.lon - dLonTop, s.lat - dLat, south ? s.lon + dLonBottom : s.lon + dLonTop, s.lat + dLat];
}

/**
 * The cells to scan, in Redis's order: the centre's, north, south, east, west, north-east,
 * north-west, south-east, south-west; dropped ones are ZERO (bits 0, step 0).
 */
export function searchCells(s: GeoShapeArgs, profile: 'redis-4.0' | 'redis-7.0'): GeoCell[] {
  // A centre out of range (4.0: a member at longitude 180 decodes just past it) fails geohashEncode,
  // which 4.0 does not check: the cells are then uninitialised memory. On 4.0.14 such a search finds
  // nothing, even the member itself; 7.0 clamps decoded positions, so its centres are always valid.
  if (s.lon > GEO_LONG_MAX || s.lon < GEO_LONG_MIN || s.lat > GEO_LAT_MAX || s.lat < GEO_LAT_MIN) return [];
  const [minLon, minLat, maxLon, maxLat] = boundingBox(s, profile);
  const radiusMeters =
    (s.type === 'circle' ? s.radius : Math.sqrt((s.width / 2) * (s.width / 2) + (s.height / 2) * (s.height / 2))) * s.conv;
  let steps = estimateSteps(radiusMeters, s.lat);
  let hash = encodeCell(s.lon, s.lat, steps);
  const north = decodeCell(moveY(hash, 1));
  const south = decodeCell(moveY(hash, -1));
  const east = decodeCell(moveX(hash, 1));
  const west = decodeCell(moveX(hash, -1));
  let decrease: boolean;
  if (profile === 'redis-4.0') {
    decrease =
      geoDistance(s.lon, s.lat, s.lon, north.latMax) < radiusMeters ||
      geoDistance(s.lon, s.lat, s.lon, south.latMin) < radiusMeters ||
      geoDistance(s.lon, s.lat, east.lonMax, s.lat) < radiusMeters ||
      geoDistance(s.lon, s.lat, west.lonMin, s.lat) < radiusMeters;
  } else {
    decrease = north.latMax < maxLat || south.latMin > minLat || east.lonMax < maxLon || west.lonMin > minLon;
  }
  if (steps > 1 && decrease) {
    steps--;
    hash = encodeCell(s.lon, s.lat, steps);
  }
  const area = decodeCell(hash);
  const n = {
    north: moveY(hash, 1),
    south: moveY(hash, -1),
    east: moveX(hash, 1),
    west: moveX(hash, -1),
    northEast: moveY(moveX(hash, 1), 1),
    northWest: moveY(moveX(hash, -1), 1),
    southEast: moveY(moveX(hash, 1), -1),
    southWest: moveY(moveX(hash, -1), -1),
  };
  if (steps >= 2) {
    if (area.latMin < minLat) n.south = n.southWest = n.southEast = ZERO;
    if (area.latMax > maxLat) n.north = n.northEast = n.northWest = ZERO;
    if (area.lonMin < minLon) n.west = n.southWest = n.northWest = ZERO;
    if (area.lonMax > maxLon) n.east = n.southEast = n.northEast = ZERO;
  }
  return [hash, n.north, n.south, n.east, n.west, n.northEast, n.northWest, n.southEast, n.southWest];
}

/** redis: scoresOfGeoHashBox: the cell's score range [min, max) of 52-bit aligned hashes. */
export function cellScoreRange(c: GeoCell): [number, number] {
  const shift = BigInt(52 - c.step * 2);
  return [Number((c.bits << shift) & U64), Number(((c.bits + 1n) << shift) & U64)];
}

/** Whether membersOfAllNeighbors scans cell i: not dropped, and not the same as the last one scanned
 *  (Redis compares with the last scanned only once one other than the centre was: `last_processed` starts at 0). */
export function cellsToScan(cells: readonly GeoCell[]): number[] {
  const out: number[] = [];
  let last = 0;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (c.bits === 0n && c.step === 0) continue;
    if (last !== 0 && c.bits === cells[last].bits && c.step === cells[last].step) continue;
    out.push(i);
    last = i;
  }
  return out;
}
