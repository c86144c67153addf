import { fitSummary, interpolate } from '../../../src/cards/interpolate';

describe('card wording', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(interpolate('{{order}}: see {{missing}}', { order: 'CT head' })).toBe('CT head: see {{missing}}');
  });

  it('keeps summaries under 140 characters by shortening the order text, not the advice', () => {
    const order = 'CT abdomen and pelvis with IV contrast for suspected appendicitis, rule out abscess, patient post-op day 3 '.repeat(2);
    const s = fitSummary('{{order}}: iodinated contrast with impaired kidney function', { order });
    expect(s.length).toBeLessThan(140);
    expect(s.endsWith(': iodinated contrast with impaired kidney function')).toBe(true);
    expect(s.startsWith('CT abdomen and pelvis')).toBe(true);
  });
});
