/**
 * Small helpers over the Handlebars AST (the `hbs.AST` types ship with handlebars). Nodes are
 * narrowed by their `type`, so a node kind this code does not know is simply not descended into.
 */

export type AstNode = hbs.AST.Node;

export function isPath(node: AstNode): node is hbs.AST.PathExpression {
  return node.type === 'PathExpression';
}

export function isBlock(node: AstNode): node is hbs.AST.BlockStatement {
  return node.type === 'BlockStatement' || node.type === 'DecoratorBlock';
}

/** The helper or path name a mustache, block or sub-expression calls (`each`, `payload.id`). */
export function calledName(node: AstNode): string | undefined {
  const path = (node as { path?: AstNode }).path;
  return path && isPath(path) ? path.original : undefined;
}

/** Direct children, in source order: params, hash values, then the block's bodies. */
export function childNodes(node: AstNode): AstNode[] {
  const children: AstNode[] = [];
  const withParts = node as Partial<{
    body: AstNode[];
    path: AstNode;
    name: AstNode;
    params: AstNode[];
    hash: hbs.AST.Hash;
    program: AstNode | null;
    inverse: AstNode | null;
  }>;
  if (Array.isArray(withParts.body)) children.push(...withParts.body);
  if (withParts.path && withParts.path.type === 'SubExpression') children.push(withParts.path);
  if (withParts.name && withParts.name.type === 'SubExpression') children.push(withParts.name);
  if (Array.isArray(withParts.params)) children.push(...withParts.params);
  if (withParts.hash && Array.isArray(withParts.hash.pairs)) {
    for (const pair of withParts.hash.pairs) children.push(pair.value);
  }
  if (withParts.program) children.push(withParts.program);
  if (withParts.inverse) children.push(withParts.inverse);
  return children;
}

/** Visits every node depth-first; the visitor returns a value to stop with it. */
export function findNode<T>(root: AstNode, visit: (node: AstNode) => T | undefined): T | undefined {
  const stack: AstNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (!node) continue;
    const found = visit(node);
    if (found !== undefined) return found;
    stack.push(...childNodes(node).reverse());
  }
  return undefined;
}

/** 1-based line and column of a node, when the parser recorded them. */
export function positionOf(node: AstNode): { line?: number; column?: number } {
  const start = node.loc?.start;
  return start ? { line: start.line, column: start.column + 1 } : {};
}
