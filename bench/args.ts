/** Command-line flags of `npm run bench` (see bench/README.md). */
export type BenchName = 'bare' | 'sqlite' | 'postgres' | 'mapping';
export const BENCH_NAMES: readonly BenchName[] = ['bare', 'sqlite', 'postgres', 'mapping'];

export interface BenchArgs {
  /** Measured seconds per HTTP benchmark (after the warm-up). */
  seconds: number;
  warmupSeconds: number;
  /** Seconds per variant of the mapping benchmark (it runs three variants). */
  mappingSeconds: number;
  only: BenchName[];
  quick: boolean;
  /** Keep-alive connections of the load generator (and requests in flight). */
  connections: number;
  /** The generator pauses while the hub's backlog (ready + leased + waiting) is above this. */
  backlogBound: number;
  /** Write a V8 CPU profile of the hub process into bench/results/profiles. */
  profileHub: boolean;
  /** Hub worker tuning (Hub.start({ worker })). */
  batchSize?: number;
  maxBatchesInFlight?: number;
}

const USAGE = `usage: npm run bench -- [--seconds N] [--quick] [--only bare,sqlite,postgres,mapping]
  [--warmup N] [--mapping-seconds N] [--connections N] [--backlog N] [--batch-size N] [--batches N] [--profile-hub]`;

export function parseArgs(argv: readonly string[]): BenchArgs {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}\n${USAGE}`);
    const [name, inline] = arg.slice(2).split('=', 2) as [string, string | undefined];
    if (name === 'quick' || name === 'profile-hub' || name === 'help') flags.set(name, true);
    else {
      const value = inline ?? argv[++i];
      if (value === undefined) throw new Error(`--${name} needs a value\n${USAGE}`);
      flags.set(name, value);
    }
  }
  if (flags.has('help')) {
    console.log(USAGE);
    process.exit(0);
  }
  const known = new Set(['quick', 'profile-hub', 'seconds', 'warmup', 'mapping-seconds', 'only', 'connections', 'backlog', 'batch-size', 'batches']);
  for (const name of flags.keys()) if (!known.has(name)) throw new Error(`unknown flag --${name}\n${USAGE}`);
  const quick = flags.get('quick') === true;
  const number = (name: string, fallback: number): number => {
    const value = flags.get(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive number, got ${String(value)}`);
    return parsed;
  };
  const optional = (name: string): number | undefined => (flags.has(name) ? Math.round(number(name, 1)) : undefined);
  const only = flags.has('only')
    ? String(flags.get('only'))
        .split(',')
        .map((name) => {
          if (!BENCH_NAMES.includes(name as BenchName)) throw new Error(`--only takes ${BENCH_NAMES.join('|')}, got ${name}`);
          return name as BenchName;
        })
    : [...BENCH_NAMES];
  return {
    seconds: number('seconds', quick ? 10 : 60),
    warmupSeconds: number('warmup', quick ? 2 : 5),
    mappingSeconds: number('mapping-seconds', quick ? 2 : 10),
    only,
    quick,
    connections: Math.round(number('connections', 64)),
    backlogBound: Math.round(number('backlog', 20_000)),
    profileHub: flags.get('profile-hub') === true,
    batchSize: optional('batch-size'),
    maxBatchesInFlight: optional('batches'),
  };
}
