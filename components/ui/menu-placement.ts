/** Where a menu opens, and how tall it may be there (plain numbers in CSS pixels, testable). */
export interface MenuPlacement {
  side: 'below' | 'above';
  maxHeight: number;
}

/** The gap kept between a menu and the window's edge. */
const EDGE = 8;
/** A menu never shrinks below this to fit; it scrolls instead. */
const MIN_HEIGHT = 120;

/**
 * Below the button when the menu fits there; otherwise on the side with more room (above, near
 * the bottom of the screen), never taller than that room, so no item is out of reach.
 */
export function placeMenu({
  buttonTop,
  buttonBottom,
  viewportHeight,
  menuHeight,
  cap,
}: {
  buttonTop: number;
  buttonBottom: number;
  viewportHeight: number;
  /** The menu's full height (all items). */
  menuHeight: number;
  /** The tallest the menu may be anywhere. */
  cap: number;
}): MenuPlacement {
  const wanted = Math.min(menuHeight, cap);
  const below = viewportHeight - buttonBottom - EDGE;
  const above = buttonTop - EDGE;
  const side = below >= wanted || below >= above ? 'below' : 'above';
  const room = side === 'below' ? below : above;
  return { side, maxHeight: Math.max(MIN_HEIGHT, Math.min(cap, room)) };
}
