import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The import structure of lib/, folder by folder: which lib/ folder (or top-level file) imports
 * which. STYLE's rule "a lib/ folder never imports one that imports it" holds when this graph has
 * no circle; tests/unit/import-layers.test.ts checks it, and `npx tsx scripts/import-layers.ts`
 * prints the folders floor by floor (each imports only floors below it).
 */

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(full);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** lib/outbox/claim.ts → 'outbox'; lib/errors.ts → 'errors.ts'; outside lib/ → null. */
function libUnit(root: string, file: string): string | null {
  const relative = path.relative(path.join(root, 'lib'), file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
  const [first, second] = relative.split(path.sep);
  if (first === undefined) return null;
  return second === undefined ? first.replace(/\.tsx?$/, '.ts') : first;
}

function resolveSpecifier(root: string, from: string, specifier: string): string | null {
  if (specifier.startsWith('@/')) return path.join(root, specifier.slice(2));
  if (specifier.startsWith('.')) return path.resolve(path.dirname(from), specifier);
  return null;
}

export type ImportGraph = Map<string, Set<string>>;

/** Every lib/ unit and the lib/ units it imports (itself left out); `outside` collects imports of app/ or components/. */
export function libImportGraph(root: string): { graph: ImportGraph; outside: string[] } {
  const graph: ImportGraph = new Map();
  const outside: string[] = [];
  for (const file of sourceFiles(path.join(root, 'lib'))) {
    const unit = libUnit(root, file);
    if (unit === null) continue;
    const targets = graph.get(unit) ?? new Set<string>();
    graph.set(unit, targets);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2];
      if (specifier === undefined) continue;
      const target = resolveSpecifier(root, file, specifier);
      if (target === null) continue;
      const targetUnit = libUnit(root, /\.[a-z]+$/.test(target) ? target : `${target}.ts`);
      if (targetUnit === null) {
        const top = path.relative(root, target).split(path.sep)[0];
        if (top === 'app' || top === 'components') outside.push(`${path.relative(root, file)} → ${specifier}`);
        continue;
      }
      if (targetUnit !== unit) targets.add(targetUnit);
    }
  }
  return { graph, outside };
}

/** Groups of units that import each other, directly or through others (Tarjan); each group is a circle. */
export function importCircles(graph: ImportGraph): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (unit: string) => {
    indexOf.set(unit, index);
    low.set(unit, index);
    index++;
    stack.push(unit);
    onStack.add(unit);
    for (const next of graph.get(unit) ?? []) {
      if (!indexOf.has(next)) {
        visit(next);
        low.set(unit, Math.min(low.get(unit) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(unit, Math.min(low.get(unit) ?? 0, indexOf.get(next) ?? 0));
      }
    }
    if (low.get(unit) === indexOf.get(unit)) {
      const group: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        group.push(member);
      } while (member !== unit);
      if (group.length > 1) circles.push(group.sort());
    }
  };
  for (const unit of [...graph.keys()].sort()) if (!indexOf.has(unit)) visit(unit);
  return circles;
}

/** Floors from the bottom: a unit sits one floor above the highest unit it imports. Assumes no circle. */
export function importFloors(graph: ImportGraph): string[][] {
  const floor = new Map<string, number>();
  const floorOf = (unit: string): number => {
    const known = floor.get(unit);
    if (known !== undefined) return known;
    floor.set(unit, 0);
    const value = Math.max(-1, ...[...(graph.get(unit) ?? [])].map(floorOf)) + 1;
    floor.set(unit, value);
    return value;
  };
  const floors: string[][] = [];
  for (const unit of [...graph.keys()].sort()) {
    const value = floorOf(unit);
    floors[value] = [...(floors[value] ?? []), unit];
  }
  return floors;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = path.resolve(import.meta.dirname, '..');
  const { graph, outside } = libImportGraph(root);
  const circles = importCircles(graph);
  for (const circle of circles) console.log(`circle: ${circle.join(' ⇄ ')}`);
  for (const line of outside) console.log(`lib/ imports outside lib/: ${line}`);
  if (circles.length === 0) {
    importFloors(graph).forEach((units, at) => {
      console.log(`floor ${at}:`);
      for (const unit of units)
        console.log(`  ${unit} → ${[...(graph.get(unit) ?? [])].sort().join(', ') || '(nothing)'}`);
    });
  }
  process.exitCode = circles.length > 0 || outside.length > 0 ? 1 : 0;
}
