import packageJson from '../package.json';

export const HERALD_VERSION: string = packageJson.version;
