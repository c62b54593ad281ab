// File names of the multi-part AOF layout, for appendfilename F.
// redis: aof.c getNewBaseFileNameAndMarkPreAsHistory, getNewIncrAofName, getTempIncrAofName,
// getAofManifestFileName, getTempAofManifestFileName (7.0).
//   BASE      F.<seq>.base.rdb | F.<seq>.base.aof
//   INCR      F.<seq>.incr.aof
//   temp INCR temp-F.incr
//   manifest  F.manifest, temp-F.manifest

export type BaseFormat = 'rdb' | 'aof';

export function getBaseFileName(appendFilename: string, seq: number, format: BaseFormat): string {
  return `${appendFilename}.${seq}.base.${format}`;
}

export function getIncrFileName(appendFilename: string, seq: number): string {
  return `${appendFilename}.${seq}.incr.aof`;
}

export function getTempIncrName(appendFilename: string): string {
  return `temp-${appendFilename}.incr`;
}

export function getManifestName(appendFilename: string): string {
  return `${appendFilename}.manifest`;
}

export function getTempManifestName(appendFilename: string): string {
  return `temp-${appendFilename}.manifest`;
}
