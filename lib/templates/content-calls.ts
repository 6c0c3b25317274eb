import { MAX_CONTENT_CALLS } from './limits';
import { type AstNode, calledName, childNodes, isBlock, isPath } from './template-ast';
import { CONTENT_ITEM_HELPER } from './validate';

/**
 * The first pass of a render: which withDeliveryContentItem calls will the template make for this
 * event? Their arguments must be literals or paths into the event (also inside {{#with}} and
 * {{#each}} over the event); the items are then fetched in parallel before the template runs, and
 * the helper in the render thread only looks them up. A call whose arguments cannot be worked out
 * here is left out: if the render reaches it, the helper fails with a message saying why.
 */

export const CONTENT_CALL_PARAMS = [
  'contentItemId',
  'account',
  'stagingEnvironment',
  'locale',
  'snapshotId',
  'mediaHost',
] as const;

export type ContentCall = Record<(typeof CONTENT_CALL_PARAMS)[number], string>;

/** MUST match `contentCallKey` in thread/content-item-helper.cjs: it is how the helper finds its item. */
export function contentCallKey(call: ContentCall): string {
  return JSON.stringify(CONTENT_CALL_PARAMS.map((name) => call[name]));
}

/** Helper arguments are strings; numbers and booleans are spelled out; anything else is absent. */
function toParam(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** Candidate values of `this` at each block depth; `null` where the pass cannot know them. */
type Scope = { stack: Array<unknown[] | null>; blockParams: ReadonlySet<string> };

/** Blocks whose body keeps the surrounding context (`options.fn(this)`). */
const SAME_CONTEXT_BLOCKS = new Set([
  'if',
  'unless',
  'and',
  'compare',
  'contains',
  'eq',
  'gt',
  'gte',
  'has',
  'ifEven',
  'ifNth',
  'ifOdd',
  'inArray',
  'is',
  'isEmpty',
  'isFalsey',
  'isTruthy',
  'isnt',
  'lt',
  'lte',
  'neither',
  'not',
  'or',
  'unlessEq',
  'unlessGt',
  'unlessGteq',
  'unlessLt',
  'unlessLteq',
]);

const MAX_CANDIDATES = 1000;

export class TooManyContentCallsError extends Error {
  override name = 'TooManyContentCallsError';
}

export function collectContentCalls(ast: hbs.AST.Program, envelope: Record<string, unknown>): ContentCall[] {
  const calls = new Map<string, ContentCall>();
  const add = (call: ContentCall) => {
    if (call.contentItemId === '') return;
    calls.set(contentCallKey(call), call);
    if (calls.size > MAX_CONTENT_CALLS) {
      throw new TooManyContentCallsError(
        `The template makes more than ${MAX_CONTENT_CALLS} different ${CONTENT_ITEM_HELPER} calls for this event`,
      );
    }
  };
  visit(ast, { stack: [[envelope]], blockParams: new Set() }, envelope, add);
  return [...calls.values()];
}

function visit(node: AstNode, scope: Scope, root: Record<string, unknown>, add: (call: ContentCall) => void): void {
  if (!isBlock(node)) {
    for (const child of childNodes(node)) visit(child, scope, root, add);
    return;
  }
  const name = calledName(node);
  if (name === CONTENT_ITEM_HELPER) {
    for (const call of callsOf(node, scope, root)) add(call);
  }
  for (const child of [...node.params, ...(node.hash?.pairs ?? []).map((pair) => pair.value)]) {
    visit(child, scope, root, add);
  }
  const body = bodyScope(node, name, scope, root);
  if (node.program) visit(node.program, body, root, add);
  if (node.inverse) visit(node.inverse, scope, root, add);
}

function bodyScope(node: hbs.AST.BlockStatement, name: string | undefined, scope: Scope, root: object): Scope {
  const blockParams = new Set([...scope.blockParams, ...(node.program?.blockParams ?? [])]);
  if (name !== undefined && SAME_CONTEXT_BLOCKS.has(name)) return { stack: scope.stack, blockParams };
  const first = node.params[0];
  const values = first ? resolve(first, scope, root) : null;
  let context: unknown[] | null = null;
  if (name === 'with') context = values;
  if (name === 'each' && values) context = values.flatMap((value) => elementsOf(value)).slice(0, MAX_CANDIDATES);
  return { stack: [...scope.stack, context], blockParams };
}

function elementsOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value !== null && typeof value === 'object' ? Object.values(value) : [];
}

function callsOf(node: hbs.AST.BlockStatement, scope: Scope, root: Record<string, unknown>): ContentCall[] {
  const hash = new Map((node.hash?.pairs ?? []).map((pair) => [pair.key, pair.value] as const));
  const candidates: unknown[][] = [];
  for (const [index, name] of CONTENT_CALL_PARAMS.entries()) {
    const expression = hash.get(name) ?? node.params[index];
    if (!expression) {
      candidates.push(name === 'contentItemId' ? [defaultContentItemId(root)] : ['']);
      continue;
    }
    const values = resolve(expression, scope, root);
    if (values === null || values.length === 0) return [];
    candidates.push(values);
  }
  const calls: ContentCall[] = [];
  for (const combination of product(candidates)) {
    calls.push(
      Object.fromEntries(CONTENT_CALL_PARAMS.map((name, i) => [name, toParam(combination[i])])) as ContentCall,
    );
  }
  return calls;
}

/** The seeds' examples leave `contentItemId` out: then the item the event is about is meant. */
function defaultContentItemId(root: Record<string, unknown>): string {
  const payload = root.payload;
  return payload !== null && typeof payload === 'object' ? toParam((payload as Record<string, unknown>).id) : '';
}

function product(lists: unknown[][]): unknown[][] {
  let result: unknown[][] = [[]];
  for (const list of lists) {
    result = result.flatMap((prefix) => list.map((value) => [...prefix, value])).slice(0, MAX_CANDIDATES);
  }
  return result;
}

/** Possible values of an argument, or `null` when only the render itself could tell. */
function resolve(expression: AstNode, scope: Scope, root: object): unknown[] | null {
  switch (expression.type) {
    case 'StringLiteral':
    case 'NumberLiteral':
    case 'BooleanLiteral':
      return [(expression as hbs.AST.StringLiteral).value];
    case 'UndefinedLiteral':
    case 'NullLiteral':
      return [undefined];
  }
  if (!isPath(expression)) return null;
  if (expression.data) {
    // Only @root.… is known before rendering (@index, @key … depend on the iteration).
    return expression.parts[0] === 'root' ? [lookup(root, expression.parts.slice(1))] : null;
  }
  const first = expression.parts[0];
  if (expression.depth === 0 && first !== undefined && scope.blockParams.has(first)) return null;
  const contexts = scope.stack[scope.stack.length - 1 - expression.depth];
  if (!contexts) return null;
  return contexts.map((context) => lookup(context, expression.parts));
}

/** Own properties only, like Handlebars' prototype access rules. */
function lookup(value: unknown, parts: readonly string[]): unknown {
  let current = value;
  for (const part of parts) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, part)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
