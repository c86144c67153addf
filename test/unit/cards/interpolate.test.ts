import { fitSummary, interpolate } from '../../../src/cards/interpolate';

describe('card wording', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(interpolate('{{order}}: see {{missing}}', { order: 'CT head' })).toBe('CT head: see {{missing}}');
  });

  it('renders a template the same way each time it is used, whatever the values', () => {
    const template = '{{ order }}{{replacement}} instead of {{order}} ({{constructor}}); {{code}}';
    expect(interpolate(template, { order: 'MRI', replacement: ' -> CT', code: '74176' })).toBe('MRI -> CT instead of MRI ({{constructor}}); 74176');
    expect(interpolate(template, { order: '$& $1 {{x}}', replacement: '', code: '' })).toBe('$& $1 {{x}} instead of $& $1 {{x}} ({{constructor}}); ');
    expect(interpolate('no placeholders', { order: 'x' })).toBe('no placeholders');
    expect(interpolate('', {})).toBe('');
  });

  it('keeps summaries under 140 characters by shortening the order text, not the advice', () => {
    const order = 'CT abdomen and pelvis with IV contrast for suspected appendicitis, rule out abscess, patient post-op day 3 '.repeat(2);
    const s = fitSummary('{{order}}: iodinated contrast with impaired kidney function', { order });
    expect(s.length).toBeLessThan(140);
    expect(s.endsWith(': iodinated contrast with impaired kidney function')).toBe(true);
    expect(s.startsWith('CT abdomen and pelvis')).toBe(true);
  });
});
