// The Redis generation a server, a loader or a rewrite behaves as. Every layer reads it (the RDB
// version, the command table, the AOF layout), so it lives at the bottom of the layer order.
//   redis-4.0: one appendonly.aof, optional RDB preamble, rewrite with pipes and a rewrite buffer.
//   redis-7.0: multi-part AOF (BASE + INCRs + manifest), rewrite without a rewrite buffer.

export type Profile = 'redis-4.0' | 'redis-7.0';
