import { describe, expect, it } from 'vitest';
import { LAYERS } from '@/compute/layers';
import { bestMatch, filterPalette } from './palette-search';

describe('filterPalette', () => {
  it('shows every layer, by category, for an empty query', () => {
    const groups = filterPalette('  ');
    expect(groups.map((g) => g.category)).toEqual(['io', 'core', 'conv', 'activation', 'normalization', 'merge', 'loss']);
    expect(groups.reduce((n, g) => n + g.layers.length, 0)).toBe(LAYERS.size);
  });

  it('matches names and descriptions, every word', () => {
    expect(filterPalette('dens').flatMap((g) => g.layers.map((l) => l.type))).toEqual(['Dense']);
    expect(filterPalette('pool').flatMap((g) => g.layers.map((l) => l.type))).toEqual(['MaxPool2D', 'AvgPool2D']);
    expect(filterPalette('residual').flatMap((g) => g.layers.map((l) => l.type))).toEqual(['Add']);
    expect(filterPalette('max pool').flatMap((g) => g.layers.map((l) => l.type))).toEqual(['MaxPool2D']);
    expect(filterPalette('nothing-like-this')).toEqual([]);
  });
});

describe('bestMatch', () => {
  it('prefers an exact name, then a name prefix, over a description mention', () => {
    expect(bestMatch('relu')?.type).toBe('ReLU');
    expect(bestMatch('soft')?.type).toBe('Softmax');
    expect(bestMatch('softmax cross')?.type).toBe('SoftmaxCrossEntropy');
    expect(bestMatch('')).toBeUndefined();
  });
});
