import { imagingOrder } from '../support/fhir-builders';
import { evidenceRows, overrideCodes, reason } from '../helpers/card-parts';
import { MODES, runScenario } from '../helpers/scenario';

const RESEARCH = 'http://hl7.org/fhir/StructureDefinition/workflow-researchStudy';

describe.each(MODES)('research-imaging (%s)', (mode) => {
  it('warns on an order linked to a ResearchStudy by the workflow extension, naming the study', async () => {
    const order = imagingOrder('sr-r', '70553', { extension: [{ url: RESEARCH, valueReference: { reference: 'ResearchStudy/rs-7', display: 'GLIO-2 imaging sub-study' } }] });
    const r = await runScenario({ orders: [order], record: [] }, mode);
    const [card, ...rest] = r.cardsFor('research-imaging');
    expect(rest).toEqual([]);
    expect(card).toMatchObject({ indicator: 'warning', source: { topic: { code: 'coverage-info' } } });
    expect(card?.extension['imaging-cds']).toMatchObject({ section: 'Preface-2.1' });
    expect(evidenceRows(card)[0]).toEqual({ what: 'Order linked to a research study', value: 'GLIO-2 imaging sub-study ResearchStudy/rs-7', date: '2026-11-23', record: 'ServiceRequest/sr-r' });
    expect(overrideCodes(card)).toEqual(['clinically-required']);
  });

  it('fires on a research-program reason (Z00.6)', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-r', '70551', { reasonCode: reason('Z00.6', 'Encounter for examination for normal comparison and control in clinical research program') })] , record: [] }, mode);
    expect(evidenceRows(r.cardsFor('research-imaging')[0])[0]).toMatchObject({ what: 'Research reason on the order', value: expect.stringContaining('(Z00.6)') });
  });

  it('stays silent on an ordinary order and on unrelated extensions', async () => {
    const r = await runScenario({ orders: [imagingOrder('sr-r', '70551', { extension: [{ url: 'http://example.org/fhir/StructureDefinition/priority-note', valueString: 'urgent' }] })], record: [] }, mode);
    expect(r.cardsFor('research-imaging')).toEqual([]);
  });
});
