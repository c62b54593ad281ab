// Geo commands (redis 7.0.15 geo.c): GEOADD, GEOPOS, GEODIST, GEOHASH, GEOSEARCH, GEOSEARCHSTORE,
// GEORADIUS, GEORADIUSBYMEMBER (+ _RO, STORE / STOREDIST). Positions live in sorted sets whose
// scores are 52-bit geohashes (src/keyspace/geohash.ts).
//
// Propagation: GEOADD runs as `zadd key [NX|XX] [CH] <score> <member> ...` and propagates that
// (redis: replaceClientCommandVector + zaddCommand); the STORE forms propagate verbatim.
// Searches scan the cells Redis scans (src/keyspace/geohash-areas.ts, per profile), so the members
// found at the edges, the order of unsorted replies and what COUNT n ANY takes (the first n met) are
// Redis's; sorting is glibc's stable qsort, or (7.0, COUNT below the members found) Redis's unstable
// partial quicksort, reproduced so members at the same distance come out in Redis's order.

import {
  distanceText,
  geoDistance,
  geohashDecode,
  geohashEncode,
  geohashString,
  humanCoord,
  latDistance,
  scoreToBits,
  GEO_LAT_MAX,
  GEO_LAT_MIN,
  GEO_LONG_MAX,
  GEO_LONG_MIN,
} from '../../keyspace/geohash.ts';
import type { Bytes } from '../../keyspace/types.ts';
import { ZSet, type ZEntry } from '../../keyspace/zset.ts';
import { cellScoreRange, cellsToScan, searchCells } from '../../keyspace/geohash-areas.ts';
import type { Profile } from '../../base/profile.ts';
import { partialQsort } from '../../base/partial-qsort.ts';
import type { CommandDef } from '../command-def.ts';
import { def } from '../command-def.ts';
import type { CommandContext } from '../context.ts';
import { ERR_NOT_FLOAT, ERR_NOT_INTEGER, ERR_SYNTAX, isOpt, parseDouble, parseInt64 } from '../args.ts';
import type { Reply } from '../reply.ts';
import { NIL, NIL_ARRAY, WRONGTYPE, array, bulk, error, integer } from '../reply.ts';
import { zsetCommands } from './zsets.ts';

const wrongType = (): Reply => error(WRONGTYPE);
const isReply = (x: unknown): x is Reply => typeof x === 'object' && x !== null && 'kind' in x;

/** The zset at key for reading: undefined when missing, or WRONGTYPE. */
function readZset(ctx: CommandContext, key: Bytes): ZSet | undefined | Reply {
  const v = ctx.lookupRead(key);
  if (v === undefined) return undefined;
  return v.type === 'zset' ? v.value : wrongType();
}

/** redis: extractLongLatOrReply. */
function lonLat(a: Bytes, b: Bytes): [number, number] | Reply {
  const lon = parseDouble(a);
  if (lon === null) return error(ERR_NOT_FLOAT);
  const lat = parseDouble(b);
  if (lat === null) return error(ERR_NOT_FLOAT);
  if (lon < GEO_LONG_MIN || lon > GEO_LONG_MAX || lat < GEO_LAT_MIN || lat > GEO_LAT_MAX) {
    return error(`ERR invalid longitude,latitude pair ${lon.toFixed(6)},${lat.toFixed(6)}`);
  }
  return [lon, lat];
}

/** redis: extractUnitOrReply: meters per unit. */
function unit(u: Bytes): number | Reply {
  const l = u.toLowerCase();
  if (l === 'm') return 1;
  if (l === 'km') return 1000;
  if (l === 'ft') return 0.3048;
  if (l === 'mi') return 1609.34;
  return error('ERR unsupported unit provided. please use M, KM, FT, MI');
}

function radiusArg(r: Bytes, u: Bytes): { radius: number; conv: number } | Reply {
  const d = parseDouble(r);
  if (d === null) return error('ERR need numeric radius');
  if (d < 0) return error('ERR radius cannot be negative');
  const conv = unit(u);
  if (isReply(conv)) return conv;
  return { radius: d, conv };
}

/** redis: decodeGeohash of a score (4.0 does not clamp to the valid range). */
const decodeScore = (score: number, profile: Profile): [number, number] => geohashDecode(scoreToBits(score), profile === 'redis-7.0');

function memberPos(ctx: CommandContext, z: ZSet, m: Bytes): [number, number] | null {
  const s = z.score(m);
  return s === undefined ? null : decodeScore(s, ctx.profile);
}

const zaddDef = zsetCommands.find((d) => d.name === 'zadd') as CommandDef;

function geoadd(ctx: CommandContext, argv: Bytes[]): Reply {
  let xx = false;
  let nx = false;
  let i = 2;
  for (; i < argv.length; i++) {
    if (isOpt(argv[i], 'NX')) nx = true;
    else if (isOpt(argv[i], 'XX')) xx = true;
    else if (!isOpt(argv[i], 'CH')) break;
  }
  if ((argv.length - i) % 3 !== 0 || (xx && nx)) return error(ERR_SYNTAX);
  const out: Bytes[] = ['zadd', ...argv.slice(1, i)];
  for (let j = i; j < argv.length; j += 3) {
    const xy = lonLat(argv[j], argv[j + 1]);
    if (isReply(xy)) return xy;
    const bits = geohashEncode(xy[0], xy[1]) ?? 0n;
    out.push(String(bits), argv[j + 2]);
  }
  const reply = zaddDef.handler(ctx, out);
  ctx.rewriteArgv(out);
  return reply;
}

function geopos(ctx: CommandContext, argv: Bytes[]): Reply {
  const z = readZset(ctx, argv[1]);
  if (isReply(z)) return z;
  const out: Reply[] = [];
  for (let j = 2; j < argv.length; j++) {
    const p = z ? memberPos(ctx, z, argv[j]) : null;
    out.push(p === null ? NIL_ARRAY : array([bulk(humanCoord(p[0])), bulk(humanCoord(p[1]))]));
  }
  return array(out);
}

function geodist(ctx: CommandContext, argv: Bytes[]): Reply {
  let conv = 1;
  if (argv.length === 5) {
    const u = unit(argv[4]);
    if (isReply(u)) return u;
    conv = u;
  } else if (argv.length > 5) return error(ERR_SYNTAX);
  const z = readZset(ctx, argv[1]);
  if (isReply(z)) return z;
  if (z === undefined) return NIL;
  const a = memberPos(ctx, z, argv[2]);
  const b = memberPos(ctx, z, argv[3]);
  if (a === null || b === null) return NIL;
  return bulk(distanceText(geoDistance(a[0], a[1], b[0], b[1]) / conv));
}

function geohash(ctx: CommandContext, argv: Bytes[]): Reply {
  const z = readZset(ctx, argv[1]);
  if (isReply(z)) return z;
  const out: Reply[] = [];
  for (let j = 2; j < argv.length; j++) {
    const s = z?.score(argv[j]);
    out.push(s === undefined ? NIL : bulk(geohashString(s)));
  }
  return array(out);
}

type SearchKind = 'radius' | 'radiusbymember' | 'search' | 'searchstore';

interface Shape {
  xy: [number, number];
  type: 'circle' | 'box';
  radius: number;
  width: number;
  height: number;
  conv: number;
}

interface Point {
  member: Bytes;
  score: number;
  dist: number;
  lon: number;
  lat: number;
}

/**
 * redis: membersOfAllNeighbors: the members inside the shape, cell by cell as Redis scans them
 * (src/keyspace/geohash-areas.ts), by score within a cell; with `limit` (ANY) it stops once that
 * many are found.
 */
function membersInShape(z: ZSet, shape: Shape, profile: Profile, limit: number): Point[] {
  const [cx, cy] = shape.xy;
  const cells = searchCells({ lon: cx, lat: cy, type: shape.type, radius: shape.radius, width: shape.width, height: shape.height, conv: shape.conv }, profile);
  const pts: Point[] = [];
  for (const i of cellsToScan(cells)) {
    if (limit > 0 && pts.length >= limit) break;
    const [min, max] = cellScoreRange(cells[i]);
    for (let r = z.countWhile((e) => e.score < min); r < z.size; r++) {
      const e = z.at(r) as ZEntry;
      if (e.score >= max) break;
      const [lon, lat] = decodeScore(e.score, profile);
      let dist: number;
      if (shape.type === 'circle') {
        dist = geoDistance(cx, cy, lon, lat);
        if (dist > shape.radius * shape.conv) continue;
      } else {
        if (latDistance(lat, cy) > (shape.height * shape.conv) / 2) continue;
        if (geoDistance(lon, lat, cx, lat) > (shape.width * shape.conv) / 2) continue;
        dist = geoDistance(cx, cy, lon, lat);
      }
      pts.push({ member: e.member, score: e.score, dist, lon, lat });
      if (limit > 0 && pts.length >= limit) break;
    }
  }
  return pts;
}

function georadiusGeneric(kind: SearchKind, noStore: boolean) {
  return (ctx: CommandContext, argv: Bytes[]): Reply => {
    const search = kind === 'search' || kind === 'searchstore';
    const srcIdx = kind === 'searchstore' ? 2 : 1;
    const z = readZset(ctx, argv[srcIdx]);
    if (isReply(z)) return z;
    const shape: Shape = { xy: [0, 0], type: 'circle', radius: 0, width: 0, height: 0, conv: 1 };
    let base: number;
    let storeKey: Bytes | null = null;
    let storeDist = false;
    if (kind === 'radius') {
      base = 6;
      const xy = lonLat(argv[2], argv[3]);
      if (isReply(xy)) return xy;
      shape.xy = xy;
      const r = radiusArg(argv[4], argv[5]);
      if (isReply(r)) return r;
      shape.radius = r.radius;
      shape.conv = r.conv;
    } else if (kind === 'radiusbymember') {
      base = 5;
      if (z !== undefined) {
        const p = memberPos(ctx, z, argv[2]);
        if (p === null) return error('ERR could not decode requested zset member');
        shape.xy = p;
        const r = radiusArg(argv[3], argv[4]);
        if (isReply(r)) return r;
        shape.radius = r.radius;
        shape.conv = r.conv;
      }
    } else {
      base = kind === 'searchstore' ? 3 : 2;
      if (kind === 'searchstore') storeKey = argv[1];
    }
    let withDist = false;
    let withHash = false;
    let withCoord = false;
    let fromMember = false;
    let fromLoc = false;
    let byRadius = false;
    let byBox = false;
    let sort: 'none' | 'asc' | 'desc' = 'none';
    let any = false;
    let count = 0;
    const rem = argv.length - base;
    for (let i = 0; i < rem; i++) {
      const a = argv[base + i];
      const at = (k: number) => argv[base + i + k];
      if (isOpt(a, 'WITHDIST')) withDist = true;
      else if (isOpt(a, 'WITHHASH')) withHash = true;
      else if (isOpt(a, 'WITHCOORD')) withCoord = true;
      else if (isOpt(a, 'ANY')) any = true;
      else if (isOpt(a, 'ASC')) sort = 'asc';
      else if (isOpt(a, 'DESC')) sort = 'desc';
      else if (isOpt(a, 'COUNT') && i + 1 < rem) {
        const n = parseInt64(at(1));
        if (n === null) return error(ERR_NOT_INTEGER);
        if (n <= 0n) return error('ERR COUNT must be > 0');
        count = Number(n);
        i++;
      } else if (isOpt(a, 'STORE') && i + 1 < rem && !noStore && !search) {
        storeKey = at(1);
        storeDist = false;
        i++;
      } else if (isOpt(a, 'STOREDIST') && i + 1 < rem && !noStore && !search) {
        storeKey = at(1);
        storeDist = true;
        i++;
      } else if (isOpt(a, 'STOREDIST') && kind === 'searchstore') {
        storeDist = true;
      } else if (isOpt(a, 'FROMMEMBER') && i + 1 < rem && search && !fromLoc) {
        if (z !== undefined) {
          const p = memberPos(ctx, z, at(1));
          if (p === null) return error('ERR could not decode requested zset member');
          shape.xy = p;
        }
        fromMember = true;
        i++;
      } else if (isOpt(a, 'FROMLONLAT') && i + 2 < rem && search && !fromMember) {
        const xy = lonLat(at(1), at(2));
        if (isReply(xy)) return xy;
        shape.xy = xy;
        fromLoc = true;
        i += 2;
      } else if (isOpt(a, 'BYRADIUS') && i + 2 < rem && search && !byBox) {
        const r = radiusArg(at(1), at(2));
        if (isReply(r)) return r;
        shape.type = 'circle';
        shape.radius = r.radius;
        shape.conv = r.conv;
        byRadius = true;
        i += 2;
      } else if (isOpt(a, 'BYBOX') && i + 3 < rem && search && !byRadius) {
        const w = parseDouble(at(1));
        if (w === null) return error('ERR need numeric width');
        const h = parseDouble(at(2));
        if (h === null) return error('ERR need numeric height');
        if (w < 0 || h < 0) return error('ERR height or width cannot be negative');
        const u = unit(at(3));
        if (isReply(u)) return u;
        shape.type = 'box';
        shape.width = w;
        shape.height = h;
        shape.conv = u;
        byBox = true;
        i += 3;
      } else return error(ERR_SYNTAX);
    }
    if (storeKey !== null && (withDist || withHash || withCoord)) {
      const who = kind === 'searchstore' ? 'GEOSEARCHSTORE' : 'STORE option in GEORADIUS';
      return error(`ERR ${who} is not compatible with WITHDIST, WITHHASH and WITHCOORD options`);
    }
    if (search && !(fromMember || fromLoc)) {
      return error(`ERR exactly one of FROMMEMBER or FROMLONLAT can be specified for ${argv[0]}`);
    }
    if (search && !(byRadius || byBox)) return error(`ERR exactly one of BYRADIUS and BYBOX can be specified for ${argv[0]}`);
    if (any && count === 0) return error('ERR the ANY argument requires COUNT argument');
    if (z === undefined) {
      if (storeKey !== null) {
        if (ctx.deleteKey(storeKey)) ctx.dirty();
        return integer(0);
      }
      return array([]);
    }
    if (count !== 0 && sort === 'none' && !any) sort = 'asc';
    const pts = membersInShape(z, shape, ctx.profile, any ? count : 0);
    if (pts.length === 0 && storeKey === null) return array([]);
    const n = count === 0 || pts.length < count ? pts.length : count;
    if (sort !== 'none') {
      const dir = sort === 'desc' ? -1 : 1;
      const byDistance = (a: Point, b: Point): number => (a.dist === b.dist ? 0 : a.dist > b.dist ? dir : -dir);
      // 7.0 sorts only as far as COUNT needs, with its own unstable quicksort; otherwise glibc's qsort,
      // a stable merge sort here, so equal distances keep the cell scan order.
      if (ctx.profile === 'redis-7.0' && n < pts.length) partialQsort(pts, byDistance, 0, n - 1);
      else pts.sort(byDistance);
    }
    if (storeKey === null) {
      const opts = (withDist ? 1 : 0) + (withHash ? 1 : 0) + (withCoord ? 1 : 0);
      const out: Reply[] = [];
      for (let i = 0; i < n; i++) {
        const p = pts[i];
        if (opts === 0) {
          out.push(bulk(p.member));
          continue;
        }
        const item: Reply[] = [bulk(p.member)];
        if (withDist) item.push(bulk(distanceText(p.dist / shape.conv)));
        if (withHash) item.push(integer(p.score));
        if (withCoord) item.push(array([bulk(humanCoord(p.lon)), bulk(humanCoord(p.lat))]));
        out.push(array(item));
      }
      return array(out);
    }
    if (n > 0) {
      const zs = new ZSet();
      for (let i = 0; i < n; i++) zs.set(pts[i].member, storeDist ? pts[i].dist / shape.conv : pts[i].score);
      ctx.setKey(storeKey, { type: 'zset', value: zs });
      ctx.dirty(n);
    } else if (ctx.deleteKey(storeKey)) ctx.dirty();
    return integer(n);
  };
}

const storeKeys = (argv: readonly Bytes[]): Bytes[] => {
  const keys = [argv[1]];
  for (let i = 2; i < argv.length - 1; i++) if (isOpt(argv[i], 'STORE') || isOpt(argv[i], 'STOREDIST')) keys.push(argv[i + 1]);
  return keys;
};

export const geoCommands: CommandDef[] = [
  def('geoadd', -5, ['write', 'denyoom'], [1, 1, 1], geoadd),
  def('geopos', -2, ['readonly'], [1, 1, 1], geopos),
  def('geodist', -4, ['readonly'], [1, 1, 1], geodist),
  def('geohash', -2, ['readonly'], [1, 1, 1], geohash),
  def('georadius', -6, ['write', 'denyoom'], [1, 1, 1], georadiusGeneric('radius', false), { keys: storeKeys }),
  def('georadius_ro', -6, ['readonly'], [1, 1, 1], georadiusGeneric('radius', true)),
  def('georadiusbymember', -5, ['write', 'denyoom'], [1, 1, 1], georadiusGeneric('radiusbymember', false), { keys: storeKeys }),
  def('georadiusbymember_ro', -5, ['readonly'], [1, 1, 1], georadiusGeneric('radiusbymember', true)),
  def('geosearch', -7, ['readonly'], [1, 1, 1], georadiusGeneric('search', true)),
  def('geosearchstore', -8, ['write', 'denyoom'], [1, 2, 1], georadiusGeneric('searchstore', false)),
];
