// LCS: replies recorded from redis-server 7.0.15 (a fresh server, FLUSHALL then SELECT 0, this
// command sequence). aofsim's redis-7.0 executor must reply the same. 'unordered' rows compare as
// multisets (Redis iterates hash tables in hash order); 'skip' rows depend on wall-clock time and
// are only run, not compared.

import { describe } from 'vitest';
import type { RecordedCase } from '../../../testing/commands/recorded-session.ts';
import { checkRecordedSession } from '../../../testing/commands/recorded-session.ts';

const CASES: RecordedCase[] = [
  [["MSET","key1","ohmytext","key2","mynewtext"], "OK"],
  [["LCS","key1","key2"], "mytext"],
  [["LCS","key1","key2","LEN"], 6],
  [["LCS","key1","key2","IDX"], ["matches",[[[4,7],[5,8]],[[2,3],[0,1]]],"len",6]],
  [["LCS","key1","key2","IDX","MINMATCHLEN","4"], ["matches",[[[4,7],[5,8]]],"len",6]],
  [["LCS","key1","key2","IDX","MINMATCHLEN","4","WITHMATCHLEN"], ["matches",[[[4,7],[5,8],4]],"len",6]],
  [["LCS","key1","key2","IDX","WITHMATCHLEN"], ["matches",[[[4,7],[5,8],4],[[2,3],[0,1],2]],"len",6]],
  [["LCS","key1","key2","LEN","IDX"], "(error) ERR If you want both the length and indexes, please just use IDX."],
  [["LCS","key1","key2","FOO"], "(error) ERR syntax error"],
  [["LCS","key1","key2","MINMATCHLEN","x"], "(error) ERR value is not an integer or out of range"],
  [["LCS","key1","nokey"], ""],
  [["LCS","nokey","nokey2","IDX"], ["matches",[],"len",0]],
  [["SET","a","abcabcabcxyz"], "OK"],
  [["SET","b","xyzabcbcazz"], "OK"],
  [["LCS","a","b","IDX","WITHMATCHLEN"], ["matches",[[[11,11],[10,10],1],[[4,6],[6,8],3],[[0,2],[3,5],3]],"len",7]],
  [["LCS","b","a","IDX","WITHMATCHLEN"], ["matches",[[[10,10],[11,11],1],[[6,8],[4,6],3],[[3,5],[0,2],3]],"len",7]],
  [["LCS","a","b"], "abcbcaz"],
  [["RPUSH","l","x"], 1],
  [["LCS","a","l"], "(error) ERR The specified keys must contain string values"],
  [["SET","c","aaaa"], "OK"],
  [["SET","d","aa"], "OK"],
  [["LCS","c","d","IDX"], ["matches",[[[2,3],[0,1]]],"len",2]],
  [["LCS","d","c","IDX","WITHMATCHLEN","MINMATCHLEN","-5"], ["matches",[[[0,1],[2,3],2]],"len",2]],
];

describe('LCS: replies as redis 7.0.15 gave them', () => {
  checkRecordedSession(CASES);
});
