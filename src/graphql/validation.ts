import { type ArgumentMetadata, ValidationPipe } from '@nestjs/common';
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

const refusal = (problems: readonly { field: string; message: string }[]) => {
  const first = problems[0] ?? { field: 'input', message: 'invalid' };
  return new GraphQLError(`${first.field}: ${first.message}`, {
    extensions: { code: 'BAD_USER_INPUT', field: first.field, fields: problems },
  });
};

/**
 * Where a string holds what no text this app takes may hold, or -1: a C0 control character but
 * tab, line feed and carriage return, or DEL; half of a surrogate pair (not Unicode: UTF-8 cannot
 * encode it and RFC 8785 refuses it); U+FFFD, which the body parser puts in place of bytes that
 * were not UTF-8 (overlong forms, stray continuation bytes), so the client's text was lost.
 */
export function illFormedAt(text: string): number {
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        index++;
        continue;
      }
      return index;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return index;
    if (unit < 0x20 && unit !== 0x09 && unit !== 0x0a && unit !== 0x0d) return index;
    if (unit === 0x7f || unit === 0xfffd) return index;
  }
  return -1;
}

/** The first field of an argument (named as class-validator names them) with ill-formed text. */
function illFormedField(value: unknown, field: string): string | undefined {
  if (typeof value === 'string') return illFormedAt(value) === -1 ? undefined : field;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = illFormedField(item, field);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = illFormedField(item, field === '' ? key : `${field}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

class InputValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Arguments only (Nest maps GqlParamtype.ARGS to 'body'): a parent object or the context is
    // the app's own, not the client's.
    if (metadata.type === 'body') {
      const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
      const field = illFormedField(value, isObject ? '' : (metadata.data ?? 'input'));
      if (field !== undefined) {
        throw refusal([
          {
            field,
            message: `${field} must be well-formed text: no control characters, unpaired surrogates or U+FFFD`,
          },
        ]);
      }
    }
    return super.transform(value, metadata);
  }
}

/**
 * Input checks before any command is built: well-formed text in every string argument (above),
 * then class-validator on every argument and input type. GraphQL's own type checks already refuse
 * unknown fields, so nothing is stripped here. A refusal is BAD_USER_INPUT naming the first field
 * (and all of them in `fields`).
 */
export const validationPipe = new InputValidationPipe({
  transform: true,
  exceptionFactory: (errors) => refusal(flatten(errors)),
});
