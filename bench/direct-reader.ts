/**
 * The reference for the no-prefetch path: one parallel round of exactly the FHIR reads the
 * service made, done with plain `fetch` from a separate process, as the service does them from its own
 * process, so both sides pay the same cross-process hops on a shared machine. Driven over IPC by
 * bench/run.ts: each `{ baseUrl, reads, authorization }` message gets back the round's duration in ms.
 */
interface RoundRequest {
  readonly baseUrl: string;
  readonly reads: readonly string[];
  readonly authorization: string;
}

async function round(r: RoundRequest): Promise<number> {
  const t = performance.now();
  await Promise.all(
    r.reads.map(async (read) => {
      const res = await fetch(`${r.baseUrl}/${read}`, { headers: { accept: 'application/fhir+json', authorization: r.authorization } });
      if (!res.ok) throw new Error(`direct read ${read} answered ${res.status}`);
      await res.json();
    }),
  );
  return performance.now() - t;
}

process.on('message', (message: RoundRequest) => {
  round(message).then(
    (ms) => process.send?.({ ms }),
    (e: unknown) => process.send?.({ error: e instanceof Error ? e.message : String(e) }),
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
