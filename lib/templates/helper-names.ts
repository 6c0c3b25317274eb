/**
 * The helper names a template may call, known without loading handlebars-helpers (heavy: moment,
 * remarkable …) on the caller's event loop: validation runs on save, in the web server. The list
 * MUST equal what thread/supported-helpers.cjs registers plus Handlebars' built-ins;
 * tests/unit/templates/helper-calls.test.ts compares them.
 */

/** Herald's own block helper (see thread/content-item-helper.cjs), registered per render. */
export const CONTENT_ITEM_HELPER = 'withDeliveryContentItem';

/**
 * The handlebars-helpers groups Herald registers, named and ordered as the seeds' "Supported
 * handlebars helpers" list them (the payload editor shows them). MUST equal the categories of
 * thread/supported-helpers.cjs; tests/unit/templates/helper-calls.test.ts compares them.
 */
export const SUPPORTED_HELPER_GROUPS: readonly string[] = [
  'object',
  'string',
  'array',
  'collection',
  'comparison',
  'date',
  'html',
  'markdown',
  'math',
  'misc',
  'number',
  'regex',
  'url',
];

/** The seeds' "helpers that are not supported"; never registered in a render thread. */
export const EXCLUDED_HELPER_NAMES: ReadonlySet<string> = new Set(['map', 'some', 'sortBy', 'md']);

/** Handlebars' own helpers, registered by every environment. */
export const BUILT_IN_HELPER_NAMES: ReadonlySet<string> = new Set([
  'blockHelperMissing',
  'each',
  'helperMissing',
  'if',
  'log',
  'lookup',
  'unless',
  'with',
]);

/** handlebars-helpers 0.10, categories object … url, minus the excluded ones. */
export const LIBRARY_HELPER_NAMES: ReadonlySet<string> = new Set(
  `
JSONparse JSONstringify abs add addCommas after and append arrayify attr avg before bytes camelcase capitalize
capitalizeAll ceil center chop compare contains css dashcase date decodeURI default divide dotcase downcase
eachIndex ellipsis encodeURI eq equalsLength escape extend filter first floor forEach forIn forOwn frame get
getObject gt gte has hasOwn hyphenate ifEven ifNth ifOdd inArray is isArray isEmpty isFalsey isObject isString
isTruthy isnt itemAt iterate join js last length lengthEqual lowercase lt lte markdown merge minus modulo
moment multiply neither noop not occurrences ol option or parseJSON pascalcase pathcase phoneNumber pick pluck
plus plusify prepend random raw remainder remove removeFirst replace replaceFirst reverse round sanitize
sentence snakecase sort split startsWith stringify stripProtocol stripQuerystring subtract sum test
thumbnailImage times titleize toAbbr toExponential toFixed toFloat toInt toPath toPrecision toRegex trim
trimLeft trimRight truncate truncateWords typeOf ul unique unlessEq unlessGt unlessGteq unlessLt unlessLteq
upcase uppercase urlParse urlResolve url_decode url_encode withAfter withBefore withFirst withGroup withHash
withLast withSort year
`
    .trim()
    .split(/\s+/),
);
