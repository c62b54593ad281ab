// Geohash as Redis stores positions in sorted sets (redis 7.0.15 geohash.c, geohash_helper.c,
// geo.c): 26 steps per axis interleaved into a 52-bit integer score (latitude in the even bits,
// longitude in the odd bits), latitude range +-85.05112878 (Web Mercator), the decoded position is
// the centre of the cell; distances by the haversine formula on a 6372797.560856 m sphere; the
// standard 11-character base32 geohash re-encodes the decoded position with latitude +-90.
//
// Invariants: encode(decode(score)) === score for every score produced by encode; numbers are
// formatted as Redis replies them (%.4f distances, "human" %.17Lf coordinates with trailing zeros
// removed).

export const GEO_STEP_MAX = 26;
export const GEO_LAT_MIN = -85.05112878;
export const GEO_LAT_MAX = 85.05112878;
export const GEO_LONG_MIN = -180;
export const GEO_LONG_MAX = 180;
const EARTH_RADIUS_IN_METERS = 6372797.560856;
const D_R = Math.PI / 180.0;
const ALPHABET = '0123456789bcdefghjkmnpqrstuvwxyz';

function spread(v: number): bigint {
  let x = BigInt(v >>> 0);
  x = (x | (x << 16n)) & 0x0000ffff0000ffffn;
  x = (x | (x << 8n)) & 0x00ff00ff00ff00ffn;
  x = (x | (x << 4n)) & 0x0f0f0f0f0f0f0f0fn;
  x = (x | (x << 2n)) & 0x3333333333333333n;
  x = (x | (x << 1n)) & 0x5555555555555555n;
  return x;
}

function squash(x: bigint): number {
  x &= 0x5555555555555555n;
  x = (x | (x >> 1n)) & 0x3333333333333333n;
  x = (x | (x >> 2n)) & 0x0f0f0f0f0f0f0f0fn;
  x = (x | (x >> 4n)) & 0x00ff00ff00ff00ffn;
  x = (x | (x >> 8n)) & 0x0000ffff0000ffffn;
  x = (x | (x >> 16n)) & 0x00000000ffffffffn;
  return Number(x);
}

/** redis: interleave64: latitude cell index in the even bits, longitude in the odd (both uint32_t). */
export function interleaveCells(ilat: number, ilon: number): bigint {
  return spread(ilat) | (spread(ilon) << 1n);
}

/** redis: deinterleave64: [latitude cell index, longitude cell index] (each the low 32 bits). */
export function splitCells(bits: bigint): [number, number] {
  return [squash(bits), squash(bits >> 1n)];
}

/** redis: geohashEncode (step 26); null when out of range. */
export function geohashEncode(lon: number, lat: number, latMin = GEO_LAT_MIN, latMax = GEO_LAT_MAX): bigint | null {
  if (lon > GEO_LONG_MAX || lon < GEO_LONG_MIN || lat > GEO_LAT_MAX || lat < GEO_LAT_MIN) return null;
  if (lat < latMin || lat > latMax) return null;
  const step = 2 ** GEO_STEP_MAX;
  const latOff = ((lat - latMin) / (latMax - latMin)) * step;
  const lonOff = ((lon - GEO_LONG_MIN) / (GEO_LONG_MAX - GEO_LONG_MIN)) * step;
  // C converts the doubles to uint32_t (truncation).
  return spread(Math.trunc(latOff)) | (spread(Math.trunc(lonOff)) << 1n);
}

/**
 * redis: decodeGeohash: the centre of the cell of a 52-bit score, clamped to the valid range (7.0;
 * 4.0 does not clamp, so a score of longitude 180 decodes just past it).
 */
export function geohashDecode(bits: bigint, clamp = true): [lon: number, lat: number] {
  const ilat = squash(bits);
  const ilon = squash(bits >> 1n);
  const step = 2 ** GEO_STEP_MAX;
  const latScale = GEO_LAT_MAX - GEO_LAT_MIN;
  const lonScale = GEO_LONG_MAX - GEO_LONG_MIN;
  const latMinA = GEO_LAT_MIN + ((ilat * 1.0) / step) * latScale;
  const latMaxA = GEO_LAT_MIN + (((ilat + 1) * 1.0) / step) * latScale;
  const lonMinA = GEO_LONG_MIN + ((ilon * 1.0) / step) * lonScale;
  const lonMaxA = GEO_LONG_MIN + (((ilon + 1) * 1.0) / step) * lonScale;
  let lon = (lonMinA + lonMaxA) / 2;
  let lat = (latMinA + latMaxA) / 2;
  if (!clamp) return [lon, lat];
  if (lon > GEO_LONG_MAX) lon = GEO_LONG_MAX;
  if (lon < GEO_LONG_MIN) lon = GEO_LONG_MIN;
  if (lat > GEO_LAT_MAX) lat = GEO_LAT_MAX;
  if (lat < GEO_LAT_MIN) lat = GEO_LAT_MIN;
  return [lon, lat];
}

/** The score double of a zset member as the 52-bit hash (C's (uint64_t) cast). */
export function scoreToBits(score: number): bigint {
  if (!(score > 0)) return 0n;
  return BigInt(Math.trunc(Math.min(score, 2 ** 63)));
}

/** redis: geohashGetLatDistance. */
export function latDistance(lat1: number, lat2: number): number {
  return EARTH_RADIUS_IN_METERS * Math.abs(lat2 * D_R - lat1 * D_R);
}

/** redis: geohashGetDistance (haversine; latitude-only when the longitudes agree). */
export function geoDistance(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const lon1r = lon1 * D_R;
  const lon2r = lon2 * D_R;
  const v = Math.sin((lon2r - lon1r) / 2);
  if (v === 0.0) return latDistance(lat1, lat2);
  const lat1r = lat1 * D_R;
  const lat2r = lat2 * D_R;
  const u = Math.sin((lat2r - lat1r) / 2);
  const a = u * u + Math.cos(lat1r) * Math.cos(lat2r) * v * v;
  return 2.0 * EARTH_RADIUS_IN_METERS * Math.asin(Math.sqrt(a));
}

/** The standard 11-character geohash of a stored score (redis: geohashCommand). */
export function geohashString(score: number): string {
  const [lon, lat] = geohashDecode(scoreToBits(score));
  const bits = geohashEncode(lon, lat, -90, 90) ?? 0n;
  let out = '';
  for (let i = 0; i < 11; i++) {
    const idx = i === 10 ? 0 : Number((bits >> BigInt(52 - (i + 1) * 5)) & 0x1fn);
    out += ALPHABET[idx];
  }
  return out;
}

/** redis: addReplyHumanLongDouble ("%.17Lf" without trailing zeros). */
export function humanCoord(x: number): string {
  let s = x.toFixed(17);
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '-0' : s;
}

/** redis: addReplyDoubleDistance ("%.4f"). */
export function distanceText(d: number): string {
  return d.toFixed(4);
}
