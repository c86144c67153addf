import type { Observation } from 'fhir/r4';
import { elevation, inMgDl, latestResult } from '../../../src/rules/facts/labs';
import { labObservation } from '../../support/fhir-builders';
import { serviceParts } from '../../helpers/test-app';

const now = new Date('2026-11-23T12:00:00Z');

describe('latestResult', () => {
  const { terminology } = serviceParts();
  it('picks the newest result of the value set inside the look-back', () => {
    const obs: Observation[] = [
      labObservation('a', '98979-8', 20, 'mL/min/{1.73_m2}', '2026-10-01'),
      labObservation('b', '33914-3', 50, 'mL/min/{1.73_m2}', '2026-11-01'),
      labObservation('c', '98979-8', 10, 'mL/min/{1.73_m2}', '2026-05-01'), // outside 90 days
      labObservation('d', '2160-0', 3, 'mg/dL', '2026-11-20'), // creatinine, other value set
      labObservation('e', '98979-8', 5, 'mL/min/{1.73_m2}', '2026-11-22', { status: 'cancelled' }),
    ];
    expect(latestResult(obs, 'egfr-observations', terminology, now, 90)?.observation.id).toBe('b');
    expect(latestResult(obs.slice(2, 3), 'egfr-observations', terminology, now, 90)).toBeUndefined();
  });

  it('dates a result by effectivePeriod or issued when there is no effectiveDateTime', () => {
    const o = labObservation('p', '98979-8', 20, 'mL/min/{1.73_m2}', '2026-11-01');
    delete o.effectiveDateTime;
    o.issued = '2026-11-02T08:00:00Z';
    expect(latestResult([o], 'egfr-observations', terminology, now, 90)?.date.toISOString()).toBe('2026-11-02T08:00:00.000Z');
  });
});

describe('units and elevation', () => {
  it('converts creatinine umol/L and BUN mmol/L to mg/dL', () => {
    expect(inMgDl({ value: 88.4, code: 'umol/L' }, 'creatinine')).toBeCloseTo(1);
    expect(inMgDl({ value: 10, unit: 'mmol/L' }, 'bun')).toBeCloseTo(28.01);
    expect(inMgDl({ value: 1.2 }, 'creatinine')).toBeUndefined(); // units are read, never assumed
  });

  it('prefers the interpretation flag, then the reference range, then the default', () => {
    const flagged = labObservation('f', '2160-0', 1.1, 'mg/dL', '2026-11-20', { interpretation: [{ coding: [{ code: 'H' }] }] });
    expect(elevation(flagged, 'creatinine', 1.3)).toEqual({ elevated: true, basis: 'interpretation' });
    const inRange = labObservation('r', '2160-0', 1.4, 'mg/dL', '2026-11-20', { referenceRange: [{ high: { value: 1.5, code: 'mg/dL' } }] });
    expect(elevation(inRange, 'creatinine', 1.3)).toEqual({ elevated: false, basis: 'reference-range' });
    const molarRange = labObservation('m', '14682-9', 120, 'umol/L', '2026-11-20', { referenceRange: [{ high: { value: 110, code: 'umol/L' } }] });
    expect(elevation(molarRange, 'creatinine', 5)).toEqual({ elevated: true, basis: 'reference-range' });
    const bare = labObservation('d', '2160-0', 1.4, 'mg/dL', '2026-11-20');
    expect(elevation(bare, 'creatinine', 1.3)).toEqual({ elevated: true, basis: 'default-limit' });
    const normalFlag = labObservation('n', '2160-0', 1.4, 'mg/dL', '2026-11-20', { interpretation: [{ coding: [{ code: 'N' }] }] });
    expect(elevation(normalFlag, 'creatinine', 1.3)).toEqual({ elevated: false, basis: 'interpretation' });
  });
});
