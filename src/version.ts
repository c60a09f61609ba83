import { readFileSync } from 'node:fs';

/** The package version, recorded in every manifest: output is reproducible per tool version. */
export const TOOL_VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
