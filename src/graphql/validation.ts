import { ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { GraphQLError } from 'graphql';

function flatten(
  errors: readonly ValidationError[],
  prefix = '',
): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = prefix === '' ? error.property : `${prefix}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Input checks before any command is built: class-validator on every argument and input type.
 * GraphQL's own type checks already refuse unknown fields, so nothing is stripped here. A refusal
 * is BAD_USER_INPUT naming the first field (and all of them in `fields`).
 */
export const validationPipe = new ValidationPipe({
  transform: true,
  exceptionFactory: (errors) => {
    const problems = flatten(errors);
    const first = problems[0] ?? { field: 'input', message: 'invalid' };
    return new GraphQLError(`${first.field}: ${first.message}`, {
      extensions: { code: 'BAD_USER_INPUT', field: first.field, fields: problems },
    });
  },
});
