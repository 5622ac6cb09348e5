import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VARIABLES } from '../src/config/config';

const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
const table = readme.slice(readme.indexOf('## Configuration'));

it.each(Object.values(VARIABLES).map((v) => [v.name, v]))(
  'the README configuration table documents %s with its default',
  (name, variable) => {
    const row = table
      .split('\n')
      .find((line) => new RegExp(`^\\|\\s*\`${name}\`\\s*\\|`).test(line));
    expect(row).toBeDefined();
    const fallback = variable.default({});
    if (fallback !== undefined && name !== 'LOG_FORMAT') expect(row).toContain(`\`${fallback}\``);
  },
);
