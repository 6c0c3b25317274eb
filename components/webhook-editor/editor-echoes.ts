/**
 * Tells Monaco's own changes, coming back as props, from changes made outside it.
 *
 * Monaco keeps its text itself (uncontrolled) and reports each change up; the form's state comes
 * back down as the `value` prop. When keys arrive faster than React renders (< 30 ms apart), a
 * render can carry an older value than the editor already holds. Writing that value into the
 * editor, as a controlled editor does whenever the two differ, deletes the characters typed since.
 * So a value the editor itself reported is never written back; only a value it never held (a reset,
 * a value set by code) is.
 */
export class EditorEchoes {
  /** Values the editor reported that no render has acknowledged yet, oldest first. */
  private pending: string[] = [];

  /** The editor reported `value` (call before passing it up). */
  reported(value: string): void {
    this.pending.push(value);
    // Renders acknowledge reports in order; a long run without one only happens without renders.
    if (this.pending.length > 200) this.pending.shift();
  }

  /** Whether `incoming` (the prop) must be written into an editor that holds `current`. */
  shouldApply(incoming: string, current: string): boolean {
    if (incoming === current) {
      this.pending = [];
      return false;
    }
    const index = this.pending.indexOf(incoming);
    if (index !== -1) {
      // A render behind the editor: it and every report before it are stale.
      this.pending.splice(0, index + 1);
      return false;
    }
    this.pending = [];
    return true;
  }
}
