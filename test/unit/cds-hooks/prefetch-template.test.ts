import { renderTemplate, tokensOf } from '../../../src/cds-hooks/prefetch-template';

const context = { userId: 'PractitionerRole/role-9', patientId: 'pat-1', draftOrders: { resourceType: 'Bundle' as const, type: 'collection' as const } };

describe('prefetch templates', () => {
  it('fills CDS Hooks 2.0 tokens, URL-encoding values', () => {
    expect(renderTemplate('Condition?patient={{context.patientId}}&clinical-status=active', context)).toBe('Condition?patient=pat-1&clinical-status=active');
    expect(renderTemplate('{{context.userId}}', context)).toBe('PractitionerRole/role-9');
    expect(renderTemplate('PractitionerRole?_id={{userPractitionerRoleId}}', context)).toBe('PractitionerRole?_id=role-9');
  });

  it('cannot render a template whose token has no value here', () => {
    expect(renderTemplate('Encounter/{{context.encounterId}}', context)).toBeUndefined();
    expect(renderTemplate('Practitioner/{{userPractitionerId}}', context)).toBeUndefined();
  });

  it('lists the tokens a template uses', () => {
    expect(tokensOf('A?x={{context.patientId}}&y={{ userPractitionerId }}')).toEqual(['context.patientId', 'userPractitionerId']);
  });
});
