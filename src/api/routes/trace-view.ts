/**
 * Adds each hop's `input` to a record trace. The runtime stores what a step produced (`output`,
 * except for writes, which pass their input on); a step's input is therefore the latest output
 * before it, or the payload the attempt started with. That payload is the record's payload,
 * unless the attempt was before a dead-letter edit: then it is the payload the record had when
 * it was dead-lettered (the dead letter's `original_payload`).
 */
import type { Db } from '../../store/db.ts';
import type { RecordTrace } from '../../store/runs.ts';

export async function withHopInputs(db: Db, trace: RecordTrace): Promise<RecordTrace> {
  const deaths = await db.all<{ created_at: number; original_payload: string }>(
    'SELECT created_at, original_payload FROM dead_letters WHERE record_id = ? ORDER BY created_at',
    [trace.record.id],
  );
  const runs = trace.runs.map((run) => {
    const death = deaths.find((entry) => Number(entry.created_at) >= run.startedAt);
    let input: unknown = death ? JSON.parse(death.original_payload) : trace.record.payload;
    const hops = run.hops.map((hop) => {
      const withInput = { ...hop, input };
      if (hop.output !== undefined) input = hop.output;
      return withInput;
    });
    return { ...run, hops };
  });
  return { ...trace, runs };
}
