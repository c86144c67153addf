import type { FeedbackItem } from '../../../src/cds-hooks/types';
import { normaliseFeedback } from '../../../src/store/store-support';

/** The store takes feedback items as the EHR sent them (CDS Hooks 2.0.1 "Feedback") and keeps what it counts. */
const OVERRIDE = 'https://imaging-cds.org/fhir/CodeSystem/override-reasons';

describe('a feedback item as the store keeps it', () => {
  it('keeps an override reason with its code, system and display, and the clinician comment', () => {
    const item: FeedbackItem = {
      card: 'c1',
      outcome: 'overridden',
      overrideReason: { reason: { system: OVERRIDE, code: 'patient-preference', display: 'Patient preference' }, userComment: 'discussed' },
      outcomeTimestamp: '2026-11-20T10:00:00Z',
    };
    expect(normaliseFeedback(item)).toEqual({
      card: 'c1',
      outcome: 'overridden',
      outcomeTimestamp: '2026-11-20T10:00:00Z',
      outcomeAt: new Date('2026-11-20T10:00:00Z'),
      reasonSystem: OVERRIDE,
      reasonCode: 'patient-preference',
      reasonDisplay: 'Patient preference',
      userComment: 'discussed',
      acceptedSuggestionIds: [],
    });
  });

  it('drops a reason that carries no code (nothing to count), but keeps the comment', () => {
    const item: FeedbackItem = { card: 'c2', outcome: 'overridden', overrideReason: { reason: { system: OVERRIDE, display: 'Other' }, userComment: 'see note' }, outcomeTimestamp: 'yesterday' };
    expect(normaliseFeedback(item)).toMatchObject({ reasonSystem: null, reasonCode: null, reasonDisplay: null, userComment: 'see note', outcomeAt: null, outcomeTimestamp: 'yesterday' });
  });

  it('keeps each accepted suggestion id once, and nothing else of the wire item', () => {
    const item = { card: 'c3', outcome: 'accepted', acceptedSuggestions: [{ id: 's1' }, { id: 's1' }, { id: 's2' }], outcomeTimestamp: '2026-11-20T10:00:00Z', extension: { x: 1 } } as FeedbackItem;
    expect(normaliseFeedback(item)).toMatchObject({ acceptedSuggestionIds: ['s1', 's2'], reasonCode: null });
    expect(Object.keys(normaliseFeedback(item))).not.toContain('extension');
  });
});
