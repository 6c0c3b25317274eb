/** What the render thread uses of the modules it requires that ship no types of their own. */
declare module 'handlebars-helpers/lib/*' {
  const helpers: Record<string, unknown>;
  export = helpers;
}

declare module 'has-values' {
  function hasValues(value: unknown): boolean;
  export = hasValues;
}

declare module 'handlebars-utils' {
  const utils: {
    isOptions(value: unknown): boolean;
    value(value: unknown, context: unknown, options: unknown): unknown;
  };
  export = utils;
}
