import Handlebars from 'handlebars';
import { describeSizeOverLimit, MAX_TEMPLATE_BYTES, type TemplateKind, templateSourceLabel, utf8Bytes } from './limits';
import { describeParseError } from './parse-error';
import { type AstNode, calledName, findNode, positionOf } from './template-ast';

export type TemplateValidation = { ok: true } | { ok: false; message: string; line?: number; column?: number };
type TemplateInvalid = Extract<TemplateValidation, { ok: false }>;

export const CONTENT_ITEM_HELPER = 'withDeliveryContentItem';

/**
 * Checks a payload or URL template on save (API and UI): size, handlebars syntax, and no partials
 * or decorators (a custom payload cannot refer to other templates). Synchronous and cheap: one
 * parse and one walk. Unknown helper names are not rejected, and the output is never checked.
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
  return refused ?? { ok: true, ast };
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
