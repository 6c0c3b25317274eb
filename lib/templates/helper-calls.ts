import {
  BUILT_IN_HELPER_NAMES,
  CONTENT_ITEM_HELPER,
  EXCLUDED_HELPER_NAMES,
  LIBRARY_HELPER_NAMES,
} from './helper-names';
import type { TemplatePositionError } from './parse-error';
import { type AstNode, isPath, positionOf } from './template-ast';

/**
 * Finds, on save, the calls a render would fail on with "Missing helper": a helper Herald does not
 * have (`map`, `sortBy`, a typo), or a value called with arguments (`{{payload.id "x"}}`).
 *
 * Only what Handlebars itself treats as a call counts (compiler.js `classifySexpr`): a
 * sub-expression, or a mustache or block with parameters or hash arguments. `{{name}}` and
 * `{{#payload}}…{{/payload}}` without arguments are lookups of the event's fields (and a block
 * over one), never refused. A block parameter (`as |item|`) is a value, not a helper.
 */

export function isSupportedHelper(name: string): boolean {
  return LIBRARY_HELPER_NAMES.has(name) || BUILT_IN_HELPER_NAMES.has(name) || name === CONTENT_ITEM_HELPER;
}

type CallNode = hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;

const LITERAL_TYPES = new Set(['StringLiteral', 'NumberLiteral', 'BooleanLiteral', 'UndefinedLiteral', 'NullLiteral']);

export function findUnsupportedHelperCall(ast: hbs.AST.Program): TemplatePositionError | undefined {
  return visit(ast, new Set());
}

function visit(node: AstNode, blockParams: ReadonlySet<string>): TemplatePositionError | undefined {
  switch (node.type) {
    case 'Program':
      for (const statement of (node as hbs.AST.Program).body) {
        const found = visit(statement, blockParams);
        if (found) return found;
      }
      return undefined;
    case 'MustacheStatement':
    case 'SubExpression':
    case 'BlockStatement': {
      const call = node as CallNode;
      const found = checkCall(call, blockParams) ?? visitArguments(call, blockParams);
      if (found || call.type !== 'BlockStatement') return found;
      const inner = new Set([...blockParams, ...(call.program?.blockParams ?? [])]);
      return (
        (call.program && visit(call.program, inner)) || (call.inverse && visit(call.inverse, blockParams)) || undefined
      );
    }
    default:
      return undefined;
  }
}

function visitArguments(call: CallNode, blockParams: ReadonlySet<string>): TemplatePositionError | undefined {
  for (const argument of [...call.params, ...(call.hash?.pairs ?? []).map((pair) => pair.value)]) {
    const found = visit(argument, blockParams);
    if (found) return found;
  }
  return undefined;
}

function checkCall(call: CallNode, blockParams: ReadonlySet<string>): TemplatePositionError | undefined {
  const hasArguments = call.params.length > 0 || (call.hash?.pairs.length ?? 0) > 0;
  if (call.type !== 'SubExpression' && !hasArguments) return undefined;

  const path = call.path as AstNode;
  const where = positionOf(path.loc ? path : call);
  if (LITERAL_TYPES.has(path.type)) {
    // `{{"uppercase" x}}` calls the helper named by the literal.
    const name = String((path as hbs.AST.StringLiteral).original);
    return isSupportedHelper(name) ? undefined : unsupported(name, where);
  }
  if (!isPath(path)) return undefined;
  if (isSimpleName(path)) {
    const name = path.parts[0] ?? '';
    if (blockParams.has(name) || isSupportedHelper(name)) return undefined;
    return unsupported(name, where);
  }
  // `{{payload.id "x"}}`, `{{this "x"}}`, `{{@root.name "x"}}`: Handlebars calls the value, and the
  // event's values are data, so the render would fail.
  return at(where, `"${path.original}" is not a helper: only a helper's name can be followed by arguments`);
}

/** Handlebars' `simpleId`: one part, no `this`/`./`/`../`; `@data` paths are values here. */
function isSimpleName(path: hbs.AST.PathExpression): boolean {
  return path.parts.length === 1 && path.depth === 0 && !path.data && !/^\.|this\b/.test(path.original);
}

function unsupported(name: string, where: { line?: number; column?: number }): TemplatePositionError {
  if (EXCLUDED_HELPER_NAMES.has(name)) {
    const list = [...EXCLUDED_HELPER_NAMES].join(', ');
    return at(where, `"${name}" is not a supported helper (${list} are not available)`);
  }
  const lower = name.toLowerCase();
  const near = [...LIBRARY_HELPER_NAMES, ...BUILT_IN_HELPER_NAMES, CONTENT_ITEM_HELPER].find(
    (candidate) => candidate.toLowerCase() === lower,
  );
  return at(where, `"${name}" is not a supported helper${near ? ` (did you mean "${near}"?)` : ''}`);
}

function at(where: { line?: number; column?: number }, text: string): TemplatePositionError {
  if (where.line === undefined) return { message: text };
  return { message: `Line ${where.line}, column ${where.column}: ${text}`, ...where };
}
