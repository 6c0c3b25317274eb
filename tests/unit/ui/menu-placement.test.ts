import { describe, expect, it } from 'vitest';
import { placeMenu } from '../../../components/ui/menu-placement';

const screen = { viewportHeight: 800, cap: 320 };

describe('a menu opens where it can be seen', () => {
  it('opens below the button when it fits there', () => {
    expect(placeMenu({ ...screen, buttonTop: 100, buttonBottom: 132, menuHeight: 400 })).toEqual({
      side: 'below',
      maxHeight: 320,
    });
  });

  it('flips up at the bottom of the screen, no taller than the room above', () => {
    expect(placeMenu({ ...screen, buttonTop: 720, buttonBottom: 752, menuHeight: 400 })).toEqual({
      side: 'above',
      maxHeight: 320,
    });
    expect(placeMenu({ ...screen, viewportHeight: 400, buttonTop: 250, buttonBottom: 282, menuHeight: 400 })).toEqual({
      side: 'above',
      maxHeight: 242,
    });
  });

  it('a short menu stays below while it fits; with little room either side it takes the larger', () => {
    expect(placeMenu({ ...screen, buttonTop: 700, buttonBottom: 732, menuHeight: 50 }).side).toBe('below');
    expect(placeMenu({ ...screen, viewportHeight: 300, buttonTop: 100, buttonBottom: 132, menuHeight: 400 })).toEqual({
      side: 'below',
      maxHeight: 160,
    });
  });
});
