import { describe, expect, it } from 'vitest';
import { minorFromInput, minorToInput } from '../../../web/src/pages/policy-rules-api';
import { stepLabel } from '../../../web/src/pages/step-labels';

describe('exposure bounds typed in the rules editor', () => {
  it('reads euros with a comma, a point or spaces into cents, exactly', () => {
    expect(minorFromInput('1 500,50')).toBe(150_050);
    expect(minorFromInput('1500.5')).toBe(150_050);
    expect(minorFromInput('0,01')).toBe(1);
    expect(minorFromInput('1000')).toBe(100_000);
  });

  it('tells an empty field (no bound) from a wrong one', () => {
    expect(minorFromInput('')).toBeNull();
    expect(minorFromInput('  ')).toBeNull();
    expect(minorFromInput('12,345')).toBeUndefined();
    expect(minorFromInput('-5')).toBeUndefined();
    expect(minorFromInput('mille')).toBeUndefined();
  });

  it('writes cents back the way each language types them, and round-trips', () => {
    expect(minorToInput(150_050, 'fr')).toBe('1500,50');
    expect(minorToInput(150_050, 'en')).toBe('1500.50');
    expect(minorToInput(100_000, 'fr')).toBe('1000');
    expect(minorToInput(5, 'fr')).toBe('0,05');
    expect(minorToInput(undefined, 'fr')).toBe('');
    for (const m of [0, 1, 99, 100, 123_456_789]) expect(minorFromInput(minorToInput(m, 'fr'))).toBe(m);
  });
});

describe('step labels in the UI language', () => {
  it('translates a stock label stored in either language', () => {
    expect(stepLabel('first reminder', 'en')).toBe('First reminder');
    expect(stepLabel('first reminder', 'fr')).toBe('Première relance');
    expect(stepLabel('Première relance', 'en')).toBe('First reminder');
    expect(stepLabel('formal notice (mise en demeure)', 'fr')).toBe('Mise en demeure');
  });

  it('keeps a label someone typed as it was typed', () => {
    expect(stepLabel('Relance maison J+12', 'en')).toBe('Relance maison J+12');
    expect(stepLabel('first reminder (VIP)', 'fr')).toBe('first reminder (VIP)');
  });
});
