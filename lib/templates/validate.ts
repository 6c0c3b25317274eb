import Handlebars from 'handlebars';
import { findUnsupportedHelperCall } from './helper-calls';
import { CONTENT_ITEM_HELPER } from './helper-names';
import { describeSizeOverLimit, MAX_TEMPLATE_BYTES, type TemplateKind, templateSourceLabel, utf8Bytes } from './limits';
import { describeParseError } from './parse-error';
import { type AstNode, calledName, findNode, positionOf } from './template-ast';

export { CONTENT_ITEM_HELPER };

export type TemplateValidation = { ok: true } | { ok: false; message: string; line?: number; column?: number };
type TemplateInvalid = Extract<TemplateValidation, { ok: false }>;

/**
 * Checks a payload or URL template on save (API and UI): size, handlebars syntax, no partials or
 * decorators (a custom payload cannot refer to other templates), and no call of a helper Herald
 * does not have (helper-calls.ts). Synchronous and cheap: one parse and two walks. The output is
 * never checked.
 */
export function validateTemplate(source: string, kind: TemplateKind): TemplateValidation {
  const parsed = parseTemplate(source, kind);
  return parsed.ok ? { ok: true } : parsed;
}

/** The same checks, keeping the AST for the render path (see content-calls.ts). */
export function parseTemplate(
  source: string,
  kind: TemplateKind,
): { ok: true; ast: hbs.AST.Program } | TemplateInvalid {
  const bytes = utf8Bytes(source);
  if (bytes > MAX_TEMPLATE_BYTES) {
    const label = templateSourceLabel(kind);
    return { ok: false, message: `The ${label} is ${describeSizeOverLimit(bytes, MAX_TEMPLATE_BYTES)}` };
  }

  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(source);
  } catch (error) {
    return { ok: false, ...describeParseError(error, source) };
  }

  const refused = findNode(ast, refusal);
  if (refused) return refused;
  const call = findUnsupportedHelperCall(ast);
  return call ? { ok: false, ...call } : { ok: true, ast };
}

function refusal(node: AstNode): TemplateInvalid | undefined {
  const where = positionOf(node);
  const prefix = where.line === undefined ? '' : `Line ${where.line}, column ${where.column}: `;
  const refuse = (text: string): TemplateInvalid => ({ ok: false, message: `${prefix}${text}`, ...where });

  switch (node.type) {
    case 'PartialStatement':
    case 'PartialBlockStatement':
      return refuse('partials ({{> name}}) are not supported: a template cannot refer to other templates');
    case 'Decorator':
    case 'DecoratorBlock':
      return refuse('decorators ({{* name}}, {{#* inline}}) are not supported');
    case 'MustacheStatement':
    case 'SubExpression':
      if (calledName(node) === CONTENT_ITEM_HELPER) {
        return refuse(
          `${CONTENT_ITEM_HELPER} is a block helper: write {{#${CONTENT_ITEM_HELPER} …}}…{{/${CONTENT_ITEM_HELPER}}}`,
        );
      }
      return undefined;
    default:
      return undefined;
  }
}
