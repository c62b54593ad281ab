// Named switches that bring back historical Redis persistence bugs (docs/redis-bugs.md). All are off by
// default: by default the implementation behaves as fixed Redis does. Scenarios and bench/detect turn
// them on to show that the property suites catch each one. Code checks a switch with
// `config.bugs.has('name')` at the exact place the historical code differed; the names are a closed
// union (BugName), so a misspelt switch in the code is a compile error and in a scenario a config error.

import type { Profile } from '../base/profile.ts';

export interface BugSwitch {
  name: BugName;
  /** Spec section 4 row, Redis issue/PR. */
  source: string;
  /** What goes wrong when the switch is on. */
  symptom: string;
  /** The profiles whose code consults the switch (the other profile ignores it). */
  profiles: readonly Profile[];
}

const BOTH: readonly Profile[] = ['redis-4.0', 'redis-7.0'];
const ONLY_70: readonly Profile[] = ['redis-7.0'];
const ONLY_40: readonly Profile[] = ['redis-4.0'];

const SWITCHES = {
  'no-ftruncate-short-write': {
    source: 'docs/redis-bugs.md#bug-5, redis/redis#587',
    symptom: 'a short write leaves a partial record in the AOF instead of truncating it away',
    profiles: BOTH,
  },
  'no-tail-fsync': {
    source: 'docs/redis-bugs.md#bug-2, redis/redis#5985',
    symptom: 'everysec: when writes stop less than 1 s after the last fsync, the tail is never fsynced',
    profiles: BOTH,
  },
  'fsync-error-ignored': {
    source: 'docs/redis-bugs.md#bug-1, redis/redis#8111',
    symptom: "always: an fsync error is ignored and the write is acknowledged",
    profiles: BOTH,
  },
  'incrbyfloat-drops-ttl': {
    source: 'docs/redis-bugs.md#bug-13, redis/redis#5256',
    symptom: 'INCRBYFLOAT is propagated as a plain SET, so the key loses its TTL on reload',
    profiles: ONLY_70,
  },
  'rewrite-buffer-not-reset': {
    source: 'docs/redis-bugs.md#bug-17, aof-race regression',
    symptom: 'the 4.0 rewrite buffer is not reset after the child exits: commands are duplicated',
    profiles: ONLY_40,
  },
  'incomplete-multi-applied': {
    source: 'docs/redis-bugs.md#bug-7, redis/redis#5201',
    symptom: 'the loader cuts an unterminated MULTI after its last queued command, leaving MULTI in the file',
    profiles: BOTH,
  },
  'no-dir-fsync': {
    source: 'docs/redis-bugs.md#bug-4, redis/redis#10737',
    symptom: 'the manifest rename is not made durable: after power loss the old manifest comes back',
    profiles: ONLY_70,
  },
  'multi-tail-truncate': {
    source: 'docs/redis-bugs.md#bug-22, valkey-io/valkey#4342',
    symptom: 'a record cut inside a MULTI block is truncated alone, leaving an open MULTI that swallows later writes',
    profiles: BOTH,
  },
  'truncated-rdb-as-short-read': {
    source: 'docs/redis-bugs.md#bug-9, redis/redis#11042',
    symptom: 'a truncated RDB base/preamble is treated like a truncated AOF tail and loaded anyway',
    profiles: BOTH,
  },
  'old-incr-not-fsynced': {
    source: 'docs/redis-bugs.md#bug-3, redis/redis#11004',
    symptom: 'at rewrite start the old INCR is closed without fsync, so its everysec tail can be lost on power loss',
    profiles: ONLY_70,
  },
  'done-handler-fsync-reset': {
    source: 'docs/redis-bugs.md#bug-3, redis/redis#11973',
    symptom: 'the 7.x rewrite done handler marks the current INCR as fsynced, so its unsynced tail is never fsynced',
    profiles: ONLY_70,
  },
  'rewrite-after-short-write': {
    source: 'docs/redis-bugs.md#bug-6, redis/redis#14372',
    symptom: 'a 7.x rewrite starts although aof_buf could not be written: its commands land in the new INCR and are applied twice',
    profiles: ONLY_70,
  },
  'temp-incr-in-manifest': {
    source: 'docs/redis-bugs.md#bug-11, redis/redis#10616',
    symptom: 'enabling AOF at runtime lists the temp INCR in the manifest before any BASE exists',
    profiles: ONLY_70,
  },
  'write-error-sticky': {
    source: 'docs/redis-bugs.md#bug-21, redis/redis#8030',
    symptom: 'after a write error, appendonly no/yes does not clear the error: writes are refused forever',
    profiles: BOTH,
  },
  'rewrite-skips-expired': {
    source: 'docs/redis-bugs.md#bug-15, commit ba92b517b',
    symptom: 'the rewrite skips keys already expired in the child although the parent still has them',
    profiles: ONLY_70,
  },
  'truncate-non-last-file': {
    source: 'docs/redis-bugs.md#bug-10, redis/redis#11484 (observed quirk)',
    symptom: 'a short non-last file is truncated before the load fails, so the next start silently drops the partial command',
    profiles: ONLY_70,
  },
  'empty-last-incr': {
    source: 'docs/redis-bugs.md#bug-23, redis/redis#10295',
    symptom: 'an empty last INCR makes the load report AOF_EMPTY although earlier files had data',
    profiles: ONLY_70,
  },
  'preamble-cut-to-zero': {
    source: 'observed on redis-server 7.0.15 (aofsim loader differential test)',
    symptom: 'a short first command in the RESP tail after an RDB preamble truncates the whole file, RDB part included, to 0 bytes',
    profiles: BOTH,
  },
  'fork-failure-keeps-temp-incr': {
    source: 'found by the aofsim campaign; reproduced on redis-server 7.0.15 (properties/conformance/found-bugs-vs-redis-server.test.ts)',
    symptom: 'a fork failure while enabling AOF leaves aof_fd on the temp INCR; a later BGREWRITEAOF keeps the stale last INCR in the manifest and a restart applies its commands twice',
    profiles: ONLY_70,
  },
  'incr-seq-reuses-history': {
    source: 'found by the aofsim campaign; reproduced on redis-server 7.0.15 (properties/conformance/found-bugs-vs-redis-server.test.ts)',
    symptom: 'after a rewrite with appendonly no and a crash before the history is deleted, the new INCR reuses a history INCR name and is unlinked as history: the next start fails',
    profiles: ONLY_70,
  },
  'temp-incr-reopened-truncated': {
    source: 'found by the aofsim campaign; shown on redis-server 7.0.15 syscalls replayed under a strict power loss (properties/conformance/found-bugs-vs-redis-server.test.ts)',
    symptom: 'appendonly no/yes twice: the leftover temp INCR is truncated but not fsynced before it becomes the INCR; after a power loss its old commands are applied on top of a BASE that has them',
    profiles: ONLY_70,
  },
  'incr-short-write-leaves-nul-hole': {
    source: 'found by the aofsim property aof-faults-speak-and-act-like-redis; reproduced on redis-server 7.0.15 and Valkey 8.0.1 (docs/findings/incr-short-write-leaves-nul-hole.md)',
    symptom: 'the INCR a rewrite switches to is opened without O_APPEND: after a disk-full short write and its ftruncate the retry lands past the end, the hole reads as NUL bytes and the next start refuses the file',
    profiles: ONLY_70,
  },
  'rename-before-diff-fsync': {
    source: 'found by the aofsim campaign (aofsim run --seed 3); order of syscalls checked with strace on redis-server 4.0.14 (docs/findings/redis40-rename-before-diff-fsync.md)',
    symptom: 'always: the 4.0 done handler renames the rewritten file over appendonly.aof before fsyncing the residual diff it appended: a power loss in between loses acknowledged writes',
    profiles: ONLY_40,
  },
  'dropped-buffer-error-sticky': {
    source: 'found by the aofsim campaign in the done handlers (4.0: aof_buf dropped after the switch; 7.x: dropped when an enabling rewrite fails); the 7.x case reproduced on redis-server 7.0.15',
    symptom: 'a write error whose bytes a rewrite done handler drops from aof_buf is never cleared (nothing is left to retry): writes are refused (MISCONF) until appendonly no/yes',
    profiles: BOTH,
  },
  'aof-buf-kept-after-stop': {
    source: 'found by the aofsim campaign (aofsim run --seed 1525029838); reproduced on redis-server 4.0.14 with strace (docs/findings/redis40-stale-aof-buf-after-appendonly-no.md); fixed upstream in 6.2 by redis/redis#8030',
    symptom: 'appendonly no keeps the bytes a failed write left in aof_buf; after a BGREWRITEAOF while the AOF is off, appendonly yes then no flushes them into the rewritten file, which already holds them: the next start applies them twice',
    profiles: ONLY_40,
  },
} as const satisfies Record<string, Omit<BugSwitch, 'name'>>;

/** The name of a bug switch. */
export type BugName = keyof typeof SWITCHES;

export const BUG_SWITCHES: readonly BugSwitch[] = (Object.keys(SWITCHES) as BugName[]).map((name) => ({ name, ...SWITCHES[name] }));

export function isBugSwitch(name: string): name is BugName {
  return Object.hasOwn(SWITCHES, name);
}
