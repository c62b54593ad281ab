// SCAN family: replies recorded from redis-server 7.0.15 (a fresh server, FLUSHALL then SELECT 0, this
// command sequence). aofsim's redis-7.0 executor must reply the same. 'unordered' rows compare as
// multisets (Redis iterates hash tables in hash order); 'skip' rows depend on wall-clock time and
// are only run, not compared.

import { describe } from 'vitest';
import type { RecordedCase } from '../../../testing/commands/recorded-session.ts';
import { checkRecordedSession } from '../../../testing/commands/recorded-session.ts';

const CASES: RecordedCase[] = [
  [["MSET","a","1","b","2","c","3"], "OK"],
  [["HSET","h","f1","v1","f2","v2","g1","v3"], 3],
  [["SADD","s","m1","m2","x"], 3],
  [["ZADD","z","1","m1","2","m2","3","x"], 3],
  [["SCAN","0","COUNT","100"], ["0",["a","c","b","s","h","z"]], 'unordered'],
  [["SCAN","0","MATCH","a","COUNT","100"], ["0",["a"]], 'unordered'],
  [["SCAN","0","TYPE","hash"], ["0",["h"]], 'unordered'],
  [["SCAN","0","COUNT","0"], "(error) ERR syntax error"],
  [["SCAN","0","COUNT","x"], "(error) ERR value is not an integer or out of range"],
  [["SCAN","x"], "(error) ERR invalid cursor"],
  // "-1" is a valid cursor (strtoul wraps it to 2^64-1); which keys it lands on depends on Redis's
  // per-process random hash seed, so only a MATCH nothing can match has a fixed answer.
  [["SCAN","-1","COUNT","100","MATCH","nomatch"], ["0",[]], 'unordered'],
  [["SCAN","0","FOO","bar"], "(error) ERR syntax error"],
  [["SCAN","0","COUNT"], "(error) ERR syntax error"],
  [["HSCAN","h","0"], ["0",["f1","v1","f2","v2","g1","v3"]], 'unordered'],
  [["HSCAN","h","0","MATCH","f*"], ["0",["f1","v1","f2","v2"]], 'unordered'],
  [["HSCAN","h","0","COUNT","0"], "(error) ERR syntax error"],
  [["HSCAN","h","x"], "(error) ERR invalid cursor"],
  [["HSCAN","nokey","0","FOO"], ["0",[]], 'unordered'],
  [["HSCAN","a","0"], "(error) WRONGTYPE Operation against a key holding the wrong kind of value"],
  [["HSCAN","h","0","TYPE","string"], "(error) ERR syntax error"],
  [["SSCAN","s","0","MATCH","m*"], ["0",["m2","m1"]], 'unordered'],
  [["ZSCAN","z","0"], ["0",["m1","1","m2","2","x","3"]], 'unordered'],
  [["ZSCAN","z","0","MATCH","x"], ["0",["x","3"]], 'unordered'],
  [["ZSCAN","s","0"], "(error) WRONGTYPE Operation against a key holding the wrong kind of value"],
];

describe('SCAN family: replies as redis 7.0.15 gave them', () => {
  checkRecordedSession(CASES);
});
