import { Writable } from 'node:stream';
import request from 'supertest';
import type { Observation } from 'fhir/r4';
import { hookDeps } from '../../src/compose';
import { loadConfig } from '../../src/config';
import { createApp } from '../../src/http/app';
import { createLogger } from '../../src/logging';
import type { Rule } from '../../src/rules/engine/types';
import { device, hookRequest, imagingOrder, labObservation, patient, prefetchWith } from '../support/fhir-builders';
import { RecordingStore, TEST_NOW, serviceParts } from '../helpers/test-app';
import { expectWireValid } from '../helpers/wire-rules';

/**
 * A rule that throws is a failed safety check, not a cleared one: the call still answers 200 with every
 * other rule's cards, the orders the rule was judging get the evaluation-incomplete card naming it, and
 * the log keeps the error (rule code, name, message, stack) without any of the record.
 */
const PATIENT = 'pt-7d21c9aa';
const FAMILY = 'Oyelaran-Whitcombe';
const SIGN = '/cds-services/imaging-order-sign';

/** contrast-renal as it would fail on a lab result shaped in a way its code does not expect. */
function failing(rule: Rule): Rule {
  return {
    ...rule,
    evaluate(ctx) {
      const lab = ctx.record.observations[0] as unknown as { valueQuantity: { value: number } };
      if (lab.valueQuantity.value < 30) throw new Error('unreachable: the read above throws first');
      return [];
    },
  };
}

function appWithFailingRenalRule() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _e, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const config = loadConfig({ LOG_LEVEL: 'info' });
  const log = createLogger(config, stream);
  const deps = hookDeps(config, serviceParts(), new RecordingStore(), log, { clock: () => TEST_NOW });
  const activeRules = deps.activeRules.map((a) => (a.rule.code === 'contrast-renal' ? { ...a, rule: failing(a.rule) } : a));
  return { app: createApp({ ...deps, activeRules, config, readiness: { ready: () => true } }), lines };
}

describe('a rule that throws', () => {
  const orders = [imagingOrder('sr-ct', '74177'), imagingOrder('sr-mr', '72148')];
  // A lab without a value: the failing rule reads straight through the missing valueQuantity.
  const lab: Observation = { ...labObservation('egfr-1', '98979-8', 24, 'mL/min/{1.73_m2}', '2026-11-10'), valueQuantity: undefined };
  const body = hookRequest({
    orders,
    prefetch: prefetchWith({ renalLabs: [lab], devices: [device('pm', '14106009', 'Cardiac pacemaker')] }, patient({ id: PATIENT, name: [{ family: FAMILY }] })),
  });
  const call = async () => {
    const { app, lines } = appWithFailingRenalRule();
    const res = await request(app).post(SIGN).send({ ...body, context: { ...body.context, patientId: PATIENT } }).expect(200);
    return { cards: expectWireValid(res.body, body).cards, raw: JSON.stringify(res.body), lines };
  };

  it('leaves the other rules answering and gives the orders it was judging the evaluation-incomplete card naming it', async () => {
    const { cards, raw } = await call();
    expect(cards.map((c) => c.extension['imaging-cds'].rule)).toContain('mri-device');
    const incomplete = cards.filter((c) => c.extension['imaging-cds'].rule === 'evaluation-incomplete');
    expect(incomplete).toHaveLength(1);
    expect(incomplete[0]).toMatchObject({ indicator: 'info', extension: { 'imaging-cds': { orders: ['ServiceRequest/sr-ct'] } } });
    expect(incomplete[0]?.summary).toMatch(/stopped with an error/);
    expect(incomplete[0]?.detail).toContain('contrast-renal (');
    expect(incomplete[0]?.detail).toMatch(/\*\*not\*\* a clearance/);
    // The error stays in the log: nothing of it reaches the EHR.
    expect(raw).not.toMatch(/TypeError|reading 'value'|\bat .+\.(ts|js):\d+/);
  });

  it('is logged with rule code, error name, message and stack, and nothing of the patient', async () => {
    const { lines } = await call();
    const failed = lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l['msg'] === 'rule failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ level: 50, rule: 'contrast-renal', errorName: 'TypeError', errorMessage: expect.stringMatching(/reading 'value'/) });
    expect(failed[0]?.['stack']).toMatch(/\n\s+at .+rule-failure\.test\.ts:\d+/);
    const all = lines.join('\n');
    for (const phi of [PATIENT, FAMILY, 'egfr-1', 'Cardiac pacemaker']) expect(all).not.toContain(phi);
  });
});
