/**
 * Bad input over real HTTP (issue 6). A corpus of malformed requests, generated from the live
 * schema (introspection) and the class-validator bounds of src/**\/*.types.ts and *.args.ts, is
 * sent to the app on the sqlite store: every root field × every argument and input field × every
 * malformation (wrong types, nulls, missing and unknown fields, strings just over their maximum
 * length, 10 MB strings, invalid ids, ill-formed Unicode), and the request itself malformed
 * (invalid JSON, wrong content types, oversized bodies, deep, aliased, costly and batched
 * queries, GET mutations, `query` and `variables` of the wrong kind, unknown operation names).
 *
 * Every request must be refused with a structured answer — an HTTP 4xx, or a GraphQL `errors`
 * array whose first error carries a code from ALLOWED — never a 5xx, an internal error, a
 * dropped connection or data. The event log must be exactly what it was before the corpus (rows
 * serialised in position order, hashed), and the server must still be ready and answering.
 *
 * Where the envelope is what is malformed (content type, method, batching, limits), the operation
 * inside is a valid mutation: only the refusal of the envelope keeps it out of the log.
 */
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { DOMAIN_ERROR_CODES } from '@cunyi/domain';
import Database from 'better-sqlite3';
import { getMetadataStorage } from 'class-validator';
import {
  buildClientSchema,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  GraphQLInputObjectType,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  getIntrospectionQuery,
  getNamedType,
  getNullableType,
  type IntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
} from 'graphql';
import type { Actor, Role } from '../../src/auth/actor';
import { MUTATION_ROLES, PUBLIC_QUERIES, QUERY_ROLES } from '../../src/auth/permissions';
import { GRAPHQL_LIMITS } from '../../src/graphql/abuse-limits';
import { type AppUnderTest, ok, startApp } from '../support/app-under-test';
import { seedVillage } from '../support/seed-village';

const VILLAGE = 'bad-input';
const TOWNSHIP = '递铺街道';
/** A village no one has registered yet: registerVillage's target, by its own clerk. */
const FRESH_VILLAGE = 'fresh-village';
const IN_FLIGHT = 16;
/** Requests in the corpus, at least (issue 6). */
const MIN_CORPUS = 1_000;
const TEN_MB = 10 * 1024 * 1024;
/** The JSON body limit ('100kb': main.ts sets it, and it is express's default as startApp runs). */
const BODY_LIMIT = Number.parseInt(GRAPHQL_LIMITS.bodyLimit, 10) * 1024;
const { maxDepth, maxAliases, maxDirectives, maxTokens, maxCost } = GRAPHQL_LIMITS;

/** What a malformed request may be answered with (first error's extensions.code). */
const ALLOWED = new Set<string>([
  'BAD_USER_INPUT',
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_REQUEST',
  'QUERY_TOO_COMPLEX',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
  ...DOMAIN_ERROR_CODES,
  // importRoll's refusal of a register, with its problems (src/villages/roll-csv.ts).
  'INVALID_ROLL_CSV',
]);

// ---------------------------------------------------------------------------------------------
// The corpus

/** Every kind of malformation in the corpus; the test checks each is there. */
const FAMILIES = [
  'wrong type (variables)',
  'wrong type (literal)',
  'variable of the wrong type',
  'null for non-null',
  'missing required',
  'unknown field',
  'over max length',
  'int out of range',
  'ill-formed unicode',
  'invalid id',
  '10 MB string',
  'auth',
  'invalid JSON',
  'content type',
  'oversized body',
  'depth',
  'aliases',
  'cost',
  'directives',
  'tokens',
  'batched',
  'GET',
  'empty body',
  'query not a string',
  'variables not an object',
  'operationName',
  'extensions',
  'subscription over HTTP',
  'method',
] as const;
type Family = (typeof FAMILIES)[number];

interface Probe {
  readonly family: Family;
  readonly label: string;
  readonly method?: string;
  /** Appended to /graphql (GET). */
  readonly search?: string;
  readonly headers: Record<string, string>;
  /** Built when sent, so that 10 MB bodies are not all held at once. */
  readonly body?: () => string | Buffer;
  /** The codes (or `HTTP <status>`) this one must be answered with; otherwise any of ALLOWED. */
  readonly expect?: readonly string[];
}

interface Outcome {
  readonly probe: Probe;
  readonly status: number;
  /** extensions.code of the first error, or `HTTP <status>` for a 4xx without GraphQL errors. */
  readonly code: string;
  readonly ms: number;
  readonly failure?: string;
}

/** Input values, in order: wrong by type for each kind of argument. */
const WRONG_VALUES: Readonly<Record<string, readonly unknown[]>> = {
  Int: ['1', 1.5, 2 ** 31, { value: 1 }],
  Float: ['1.5', true, { value: 1 }],
  String: [{ text: 'x' }, 42, ['a', 'b']],
  ID: [['a', 'b'], { id: 'x' }, 1.5],
  Boolean: ['true', 1, { value: true }],
};

/** Literals, as written in the document: wrong by type for each kind of argument. */
const WRONG_LITERALS: Readonly<Record<string, readonly string[]>> = {
  Int: ['"1"', '1.5', '2147483648'],
  Float: ['"1.5"'],
  String: ['{ text: "x" }', '42'],
  ID: ['["a", "b"]', '1.5'],
  Boolean: ['"true"', '1'],
};

/** Text no field may take: appended to a valid value. Raw bytes are sent as they are. */
const ILL_FORMED: readonly { name: string; text?: string; bytes?: number[] }[] = [
  { name: 'NUL', text: '\u0000' },
  { name: 'ESC (terminal escape)', text: '\u001b[2J' },
  { name: 'DEL', text: '\u007f' },
  { name: 'lone high surrogate', text: '\ud800' },
  { name: 'lone low surrogate', text: '\udc00' },
  { name: 'surrogates reversed', text: '\udc00\ud800' },
  { name: 'overlong NUL (C0 80)', bytes: [0xc0, 0x80] },
  { name: 'overlong "/" (E0 80 AF)', bytes: [0xe0, 0x80, 0xaf] },
  { name: 'overlong "/" (F0 80 80 AF)', bytes: [0xf0, 0x80, 0x80, 0xaf] },
  { name: 'CESU-8 surrogate (ED A0 80)', bytes: [0xed, 0xa0, 0x80] },
  { name: 'stray continuation byte', bytes: [0x80] },
  { name: 'FF FE', bytes: [0xff, 0xfe] },
  { name: 'truncated sequence', bytes: [0xe4, 0xb8] },
];

/**
 * Ids no id field may take: each fails the field's format (VILLAGE_ID, HOUSEHOLD_ID, UUID,
 * length) or names nothing. Bidi controls, joiners and other invisible characters belong here,
 * in identifiers; in free text (a name, a proposal's body) they are text and may be stored.
 */
const INVALID_IDS: readonly string[] = [
  '',
  ' ',
  '\t',
  '../../etc/passwd',
  "' OR '1'='1",
  '"; DROP TABLE events; --',
  '%00',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Log4Shell-style id, not a template
  '${jndi:ldap://x/a}',
  'H'.repeat(33),
  'a'.repeat(65),
  '12345678-1234-1234-1234-12345678901z',
  'x\u202ey',
  'x\u200fy',
  'H1\u200d',
  '\u200bH1',
  '\ufeffH1',
  'H\u0301',
];

const RAW_MARKER = 'RAW-BYTES-HERE';

interface Bounds {
  maxLength?: number;
  maxItems?: number;
  min?: number;
  max?: number;
}

/** class-validator's bounds, by input class and property, and by property over every class. */
function validatorBounds(): {
  byClass: Map<string, Map<string, Bounds>>;
  byProperty: Map<string, Bounds>;
} {
  const storage = getMetadataStorage();
  // The registered targets; getTargetValidationMetadatas adds what each inherits.
  const targets = (
    storage as unknown as { validationMetadatas: Map<new () => unknown, unknown> }
  ).validationMetadatas.keys();
  const byClass = new Map<string, Map<string, Bounds>>();
  const byProperty = new Map<string, Bounds>();
  for (const target of targets) {
    const properties = new Map<string, Bounds>();
    for (const meta of storage.getTargetValidationMetadatas(target, '', true, false)) {
      const bounds = properties.get(meta.propertyName) ?? {};
      const [first, second] = meta.constraints ?? [];
      if (meta.name === 'isLength' && typeof second === 'number') bounds.maxLength = second;
      else if (meta.name === 'maxLength' && typeof first === 'number') bounds.maxLength = first;
      else if (meta.name === 'arrayMaxSize' && typeof first === 'number') bounds.maxItems = first;
      else if (meta.name === 'max' && typeof first === 'number') bounds.max = first;
      else if (meta.name === 'min' && typeof first === 'number') bounds.min = first;
      else continue;
      properties.set(meta.propertyName, bounds);
    }
    byClass.set(target.name, properties);
    for (const [property, bounds] of properties) {
      const seen = byProperty.get(property) ?? {};
      // Over every class's maximum is over each one's; under every minimum is under each one's.
      byProperty.set(property, {
        maxLength: Math.max(seen.maxLength ?? 0, bounds.maxLength ?? 0) || undefined,
        maxItems: Math.max(seen.maxItems ?? 0, bounds.maxItems ?? 0) || undefined,
        max: seen.max === undefined ? bounds.max : Math.max(seen.max, bounds.max ?? seen.max),
        min: seen.min === undefined ? bounds.min : Math.min(seen.min, bounds.min ?? seen.min),
      });
    }
  }
  return { byClass, byProperty };
}

/** One argument, or one field of an input object inside it, of a root field. */
interface Leaf {
  /** From the argument: ['input', 'recall', 'memberId']. */
  readonly path: readonly string[];
  readonly type: GraphQLInputType;
  readonly required: boolean;
  readonly bounds: Bounds;
}

const isRequired = (node: GraphQLArgument | GraphQLInputField) =>
  isNonNullType(node.type) && node.defaultValue === undefined;

/** Every argument and input field of a root field, input objects before their fields. */
function leavesOf(
  field: GraphQLField<unknown, unknown>,
  bounds: ReturnType<typeof validatorBounds>,
): Leaf[] {
  const leaves: Leaf[] = [];
  const visit = (
    node: GraphQLArgument | GraphQLInputField,
    path: string[],
    owner: string | undefined,
  ) => {
    const own = owner === undefined ? undefined : bounds.byClass.get(owner)?.get(node.name);
    leaves.push({
      path,
      type: node.type,
      required: isRequired(node),
      bounds: own ?? bounds.byProperty.get(node.name) ?? {},
    });
    const named = getNamedType(node.type);
    if (isInputObjectType(named) && path.length < 4) {
      for (const child of Object.values(named.getFields())) {
        visit(child, [...path, child.name], named.name);
      }
    }
  };
  for (const arg of field.args) visit(arg, [arg.name], undefined);
  return leaves;
}

/** What the seeded village holds, by the argument names that refer to it. */
interface Targets {
  readonly villagerIds: readonly string[];
  readonly proposalId: string;
  readonly planId: string;
  readonly petitionId: string;
}

/** A meeting, an event, an authorisation: ids of the right form that name nothing. */
const NOWHERE = randomUUID();

/**
 * A valid value for a named argument or input field (by its name, then its type): the village's
 * own objects where one exists, so that only the malformation stands between the request and a
 * stored event.
 */
function validValue(root: string, name: string, type: GraphQLInputType, targets: Targets): unknown {
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isListType(nullable)) {
    const item = nullable.ofType as GraphQLInputType;
    if (name === 'memberIds') return [targets.villagerIds[0]];
    if (name === 'proposalIds') return [targets.proposalId];
    if (name === 'matters') return ['PUBLIC_WORKS'];
    return [validValue(root, name.replace(/s$/, ''), item, targets)];
  }
  if (isInputObjectType(nullable)) return validObject(root, nullable, targets);
  if (isEnumType(nullable)) {
    const values = nullable.getValues().map((value) => value.name);
    const preferred = ENUM_CHOICES[name];
    return preferred !== undefined && values.includes(preferred) ? preferred : values[0];
  }
  const named = (nullable as GraphQLNamedType).name;
  if (named === 'Int' || named === 'Float') return INT_CHOICES[name] ?? 1;
  if (named === 'Boolean') return true;
  if (root === 'registerHousehold' && name === 'householdId') return 'H9';
  if (root === 'registerVillage' && name === 'villageId') return FRESH_VILLAGE;
  switch (name) {
    case 'villageId':
      return VILLAGE;
    case 'householdId':
      return 'H1';
    case 'villagerId':
      return targets.villagerIds[0];
    case 'memberId':
      return targets.villagerIds[1];
    case 'proposalId':
      return targets.proposalId;
    case 'planId':
      return targets.planId;
    case 'petitionId':
      return targets.petitionId;
    case 'itemId':
      return 'item-1';
    case 'township':
      return TOWNSHIP;
    case 'csv':
      return '户号,姓名,性别,出生日期,居住依据\nH8,周新民,男,1980-01-01,户籍\n';
    case 'after':
      return undefined;
  }
  if (/sha256$/i.test(name)) return 'ab'.repeat(32);
  if (/Date$/.test(name)) return '2026-03-01';
  if (/At$/.test(name) || name === 'from' || name === 'to') return '2026-03-01T00:00:00.000Z';
  if (named === 'ID') return NOWHERE;
  return `测试${name}`;
}

const ENUM_CHOICES: Readonly<Record<string, string>> = {
  matter: 'PUBLIC_WORKS',
  proposer: 'COMMITTEE',
  purpose: 'CONVENE_ASSEMBLY',
  signatories: 'VILLAGERS',
  kind: 'VILLAGE_LAYOUT',
  residenceBasis: 'HOUSEHOLD_REGISTRATION',
  reason: 'MOVED_AWAY',
  body: 'VILLAGERS_ASSEMBLY',
  comparison: 'GT',
};

const INT_CHOICES: Readonly<Record<string, number>> = {
  members: 10,
  attending: 8,
  agreeing: 6,
  numerator: 1,
  denominator: 2,
  first: 20,
  proxyCap: 3,
  majorMatterPublicationDays: 10,
};

/** An input object's required fields (and SetPracticeInput's one change). */
function validObject(
  root: string,
  type: GraphQLInputObjectType,
  targets: Targets,
): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const field of Object.values(type.getFields())) {
    if (!isRequired(field) && !(type.name === 'SetPracticeInput' && field.name === 'proxyCap')) {
      continue;
    }
    const value = validValue(root, field.name, field.type, targets);
    if (value !== undefined) object[field.name] = value;
  }
  return object;
}

function validArgs(
  field: GraphQLField<unknown, unknown>,
  targets: Targets,
): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const arg of field.args) {
    if (!isRequired(arg)) continue;
    const value = validValue(field.name, arg.name, arg.type, targets);
    if (value !== undefined) args[arg.name] = value;
  }
  return args;
}

const MISSING = Symbol('missing');

/** The arguments with one value replaced (or removed), input objects on the way filled in. */
function argsWith(
  field: GraphQLField<unknown, unknown>,
  base: Record<string, unknown>,
  path: readonly string[],
  value: unknown,
  targets: Targets,
): Record<string, unknown> {
  const args = structuredClone(base);
  let container: Record<string, unknown> = args;
  let type: GraphQLInputType | undefined = field.args.find((arg) => arg.name === path[0])?.type;
  for (const [index, key] of path.entries()) {
    if (index === path.length - 1) {
      if (value === MISSING) delete container[key];
      else container[key] = value;
      break;
    }
    const named = getNamedType(type as GraphQLInputType) as GraphQLInputObjectType;
    if (typeof container[key] !== 'object' || container[key] === null) {
      container[key] = validObject(field.name, named, targets);
    }
    container = container[key] as Record<string, unknown>;
    type = named.getFields()[path[index + 1]]?.type;
  }
  return args;
}

/** An argument value as a GraphQL literal; `raw` replaces the text at a path ('input.name'). */
function literal(
  value: unknown,
  type: GraphQLInputType | undefined,
  path: string,
  raw: ReadonlyMap<string, string>,
): string {
  const replaced = raw.get(path);
  if (replaced !== undefined) return replaced;
  if (value === null) return 'null';
  const nullable = type && (getNullableType(type) as GraphQLInputType);
  if (Array.isArray(value)) {
    const item = nullable && isListType(nullable) ? (nullable.ofType as GraphQLInputType) : type;
    return `[${value.map((element, index) => literal(element, item, `${path}.${index}`, raw)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    const fields = nullable && isInputObjectType(nullable) ? nullable.getFields() : {};
    const entries = Object.entries(value as Record<string, unknown>).map(
      ([key, element]) => `${key}: ${literal(element, fields[key]?.type, `${path}.${key}`, raw)}`,
    );
    return `{ ${entries.join(', ')} }`;
  }
  if (nullable && isEnumType(nullable) && typeof value === 'string') return value;
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

const selectionOf = (field: GraphQLField<unknown, unknown>) =>
  isLeafType(getNamedType(field.type)) ? '' : '{ __typename }';

interface RootField {
  readonly kind: 'mutation' | 'query';
  readonly field: GraphQLField<unknown, unknown>;
  readonly token: string;
}

/** The document passing every argument as a variable, and its JSON body. */
function variablesBody(root: RootField, variables: Record<string, unknown>): string {
  const { kind, field } = root;
  const declared = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`);
  const passed = field.args.map((arg) => `${arg.name}: $${arg.name}`);
  const query = `${kind} Bad${declared.length ? `(${declared.join(', ')})` : ''} { ${field.name}${passed.length ? `(${passed.join(', ')})` : ''} ${selectionOf(field)} }`;
  return JSON.stringify({ query, variables });
}

/** The document with every argument written inline. */
function literalBody(
  root: RootField,
  args: Record<string, unknown>,
  raw: ReadonlyMap<string, string> = new Map(),
  extraArgument = '',
): string {
  const { kind, field } = root;
  const written = field.args
    .filter((arg) => raw.has(arg.name) || args[arg.name] !== undefined)
    .map((arg) => `${arg.name}: ${literal(args[arg.name], arg.type, arg.name, raw)}`);
  if (extraArgument) written.push(extraArgument);
  const query = `${kind} { ${field.name}${written.length ? `(${written.join(', ')})` : ''} ${selectionOf(field)} }`;
  return JSON.stringify({ query });
}

const json = (token: string | undefined, extra: Record<string, string> = {}) => ({
  'content-type': 'application/json',
  ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
  ...extra,
});

/** A JSON body with raw bytes where RAW_MARKER stands (once). */
const withRawBytes = (body: string, bytes: Buffer | readonly number[]): Buffer => {
  const [before, after] = body.split(RAW_MARKER);
  return Buffer.concat([Buffer.from(before), Buffer.from(bytes), Buffer.from(after)]);
};

/** Ten megabytes of "x", shared by every body that carries a 10 MB string. */
const TEN_MB_OF_X = Buffer.alloc(TEN_MB, 'x');

/**
 * `count` of `all`, starting where the previous call of the same rotation stopped: every root
 * field gets every variant across its arguments, each argument a few.
 */
function rotation<T>(all: readonly T[]) {
  let next = 0;
  return (count: number): T[] => {
    const chosen = Array.from(
      { length: Math.min(count, all.length) },
      (_, index) => all[(next + index) % all.length],
    );
    next = (next + chosen.length) % all.length;
    return chosen;
  };
}

const isIdLike = (name: string, named: GraphQLNamedType) =>
  named.name === 'ID' || /Ids?$/.test(name);

/** Every malformation of every argument and input field of one root field. */
function fieldProbes(
  root: RootField,
  targets: Targets,
  bounds: ReturnType<typeof validatorBounds>,
) {
  const probes: Probe[] = [];
  const { field, token } = root;
  const base = validArgs(field, targets);
  const headers = json(token);
  const name = field.name;
  const add = (family: Family, label: string, body: () => string | Buffer, expect?: string[]) =>
    probes.push({ family, label: `${name} ${label}`, headers, body, expect });
  const viaVariables = (family: Family, leaf: Leaf, label: string, value: unknown) =>
    add(
      family,
      `$${leaf.path.join('.')} ${label}`,
      () => variablesBody(root, argsWith(field, base, leaf.path, value, targets)),
      ['BAD_USER_INPUT'],
    );
  const viaLiteral = (family: Family, leaf: Leaf, label: string, text: string) =>
    add(
      family,
      `${leaf.path.join('.')}: ${label}`,
      () =>
        literalBody(
          root,
          argsWith(field, base, leaf.path, 'placeholder', targets),
          new Map([[leaf.path.join('.'), text]]),
        ),
      // Armor's cost rule multiplies by a literal `first`: 2147483648 is too costly, too.
      ['GRAPHQL_VALIDATION_FAILED', 'QUERY_TOO_COMPLEX'],
    );
  let tenMegabytesSent = false;
  const leaves = leavesOf(field, bounds);
  const strings = leaves.filter((leaf) => ['String', 'ID'].includes(getNamedType(leaf.type).name));
  const ids = strings.filter((leaf) =>
    isIdLike(leaf.path[leaf.path.length - 1], getNamedType(leaf.type)),
  );
  const illFormed = rotation(ILL_FORMED);
  const invalidIds = rotation(INVALID_IDS);

  for (const leaf of leaves) {
    const nullable = getNullableType(leaf.type) as GraphQLInputType;
    const isList = isListType(nullable);
    const named = getNamedType(leaf.type);
    const last = leaf.path[leaf.path.length - 1];
    const valid = validValue(name, last, leaf.type, targets);
    const item = (value: unknown) => (isList ? [value] : value);

    // Wrong types, as variables (coercion: BAD_USER_INPUT) and inline (validation).
    if (isInputObjectType(named) && !isList) {
      for (const wrong of ['x', 42, [], true]) {
        viaVariables('wrong type (variables)', leaf, `= ${JSON.stringify(wrong)}`, wrong);
      }
      viaLiteral('wrong type (literal)', leaf, 'a string', '"x"');
      viaLiteral('wrong type (literal)', leaf, 'a number', '42');
      // Unknown fields beside the valid ones, and a required one left out.
      for (const extra of ['bogus', '__proto__', 'constructor', `${last}Extra`]) {
        const object = { ...(valid as object), ...JSON.parse(`{"${extra}": {"polluted": true}}`) };
        viaVariables('unknown field', leaf, `with unknown field ${extra}`, object);
      }
      add(
        'unknown field',
        `${leaf.path.join('.')}: with unknown field bogus (literal)`,
        () =>
          literalBody(
            root,
            argsWith(field, base, leaf.path, { ...(valid as object), bogus: 1 }, targets),
          ),
        ['GRAPHQL_VALIDATION_FAILED'],
      );
    } else if (isEnumType(named)) {
      const first = named.getValues()[0].name;
      const values = named.getValues().map((value) => value.name);
      const misspelt = [first.toLowerCase(), `${first}S`, first.replace(/_/g, '-'), 0].filter(
        (value) => !values.includes(value as string),
      );
      for (const wrong of misspelt) {
        viaVariables('wrong type (variables)', leaf, `= ${JSON.stringify(wrong)}`, item(wrong));
      }
      viaLiteral('wrong type (literal)', leaf, 'a quoted enum', `"${first}"`);
      viaLiteral('wrong type (literal)', leaf, 'misspelt', `${first}_X`);
    } else {
      for (const wrong of WRONG_VALUES[named.name] ?? WRONG_VALUES.String) {
        viaVariables('wrong type (variables)', leaf, `= ${JSON.stringify(wrong)}`, item(wrong));
      }
      for (const text of WRONG_LITERALS[named.name] ?? WRONG_LITERALS.String) {
        viaLiteral('wrong type (literal)', leaf, text, isList ? `[${text}]` : text);
      }
    }
    if (isList) {
      if (leaf.bounds.maxItems !== undefined) {
        const items = Array.from(
          { length: leaf.bounds.maxItems + 1 },
          () => (valid as unknown[])[0],
        );
        viaVariables('over max length', leaf, `${items.length} items`, items);
      }
      viaVariables('wrong type (variables)', leaf, '= an object for a list', { 0: valid });
      viaVariables('wrong type (variables)', leaf, '= a list of lists', [valid]);
      viaLiteral('wrong type (literal)', leaf, 'an object for a list', '{ a: 1 }');
      if (isNonNullType(nullable.ofType)) {
        viaVariables('null for non-null', leaf, '= [null]', [null]);
      }
    }
    // Null and absence where a value is required.
    if (isNonNullType(leaf.type)) {
      viaVariables('null for non-null', leaf, '= null', null);
      viaLiteral('null for non-null', leaf, 'null', 'null');
    }
    if (leaf.required) {
      viaVariables('missing required', leaf, 'left out', MISSING);
      add(
        'missing required',
        `${leaf.path.join('.')} left out (literal)`,
        () => literalBody(root, argsWith(field, base, leaf.path, MISSING, targets)),
        ['GRAPHQL_VALIDATION_FAILED'],
      );
    }
    if (leaf.path.length === 1) {
      const wrong = named.name === 'Boolean' ? 'Int' : 'Boolean';
      add(
        'variable of the wrong type',
        `$${last} declared ${wrong}`,
        () =>
          JSON.stringify({
            query: `${root.kind} Bad($${last}: ${wrong}) { ${name}(${last}: $${last}) ${selectionOf(field)} }`,
            variables: { [last]: wrong === 'Int' ? 1 : true },
          }),
        ['GRAPHQL_VALIDATION_FAILED'],
      );
    }

    // Ints just outside their class-validator bounds.
    if (named.name === 'Int') {
      if (leaf.bounds.max !== undefined && leaf.bounds.max < 2 ** 31 - 1) {
        viaVariables('int out of range', leaf, `= max + 1`, leaf.bounds.max + 1);
      }
      if (leaf.bounds.min !== undefined && leaf.bounds.min > -(2 ** 31)) {
        viaVariables('int out of range', leaf, `= min - 1`, leaf.bounds.min - 1);
      }
    }

    if (named.name !== 'String' && named.name !== 'ID') continue;
    const text = (value: string) => item(value);
    const validText = String((isList ? (valid as unknown[])[0] : valid) ?? '');

    // Strings just over the field's maximum length.
    if (leaf.bounds.maxLength !== undefined) {
      const over = 'x'.repeat(leaf.bounds.maxLength + 1);
      viaVariables('over max length', leaf, `${leaf.bounds.maxLength + 1} characters`, text(over));
    }
    // 10 MB: over the body limit, refused before any parsing (one string per field).
    if (!tenMegabytesSent) {
      tenMegabytesSent = true;
      const huge = text(RAW_MARKER);
      add(
        '10 MB string',
        `$${leaf.path.join('.')} 10 MB`,
        () =>
          withRawBytes(
            variablesBody(root, argsWith(field, base, leaf.path, huge, targets)),
            TEN_MB_OF_X,
          ),
        ['HTTP 413'],
      );
    }
    // Ill-formed Unicode after a valid value: escaped in JSON, or as raw bytes. Every variant
    // for every field; each string argument gets at least three of them.
    for (const bad of illFormed(Math.max(3, Math.ceil(ILL_FORMED.length / strings.length)))) {
      if (bad.text !== undefined) {
        viaVariables('ill-formed unicode', leaf, bad.name, text(`${validText}${bad.text}`));
      } else {
        const bytes = bad.bytes as number[];
        add(
          'ill-formed unicode',
          `$${leaf.path.join('.')} ${bad.name}`,
          () =>
            withRawBytes(
              variablesBody(
                root,
                argsWith(field, base, leaf.path, text(`${validText}${RAW_MARKER}`), targets),
              ),
              bytes,
            ),
          ['BAD_USER_INPUT'],
        );
      }
    }
    add(
      'ill-formed unicode',
      `${leaf.path.join('.')}: "\\u0000" (literal)`,
      () =>
        literalBody(root, argsWith(field, base, leaf.path, text(`${validText}\u0000`), targets)),
      ['BAD_USER_INPUT'],
    );
    add(
      'ill-formed unicode',
      `${leaf.path.join('.')}: raw NUL in the document`,
      () =>
        literalBody(
          root,
          argsWith(field, base, leaf.path, 'placeholder', targets),
          new Map([[leaf.path.join('.'), isList ? '["a\u0000"]' : '"a\u0000"']]),
        ),
      // GraphQL's SourceCharacter is any Unicode scalar value, NUL included: the pipe refuses it.
      ['BAD_USER_INPUT'],
    );
    // Invalid ids: refused by their format, or naming nothing (a domain refusal).
    if (isIdLike(last, named)) {
      for (const id of invalidIds(Math.max(3, Math.ceil(INVALID_IDS.length / ids.length)))) {
        add('invalid id', `$${leaf.path.join('.')} = ${JSON.stringify(id)}`, () =>
          variablesBody(root, argsWith(field, base, leaf.path, text(id), targets)),
        );
      }
    }
  }
  // An argument the field does not have.
  add(
    'unknown field',
    'with unknown argument bogus',
    () => literalBody(root, base, new Map(), 'bogus: 1'),
    ['GRAPHQL_VALIDATION_FAILED'],
  );
  return probes;
}

/** The same operations without a token, with a forged one, and with a role not allowed. */
function authProbes(
  root: RootField,
  targets: Targets,
  wrongRole: string,
  bounds: ReturnType<typeof validatorBounds>,
): Probe[] {
  const { field } = root;
  const base = validArgs(field, targets);
  const text = leavesOf(field, bounds).find(
    (leaf) => leaf.path.length > 0 && getNamedType(leaf.type).name === 'String',
  );
  // Malformed too (NUL in a string), where the field takes one.
  const args = text
    ? argsWith(
        field,
        base,
        text.path,
        `${validValue(field.name, text.path[text.path.length - 1], text.type, targets)}\u0000`,
        targets,
      )
    : base;
  const body = () => variablesBody(root, args);
  const label = (what: string) => `${field.name} ${what}`;
  return [
    {
      family: 'auth',
      label: label('without a token'),
      headers: json(undefined),
      body,
      expect: ['UNAUTHENTICATED'],
    },
    {
      family: 'auth',
      label: label('forged token'),
      headers: json('eyJhbGciOiJub25lIn0.e30.'),
      body,
      expect: ['UNAUTHENTICATED'],
    },
    {
      family: 'auth',
      label: label('Basic credentials'),
      headers: { ...json(undefined), authorization: 'Basic Zm9vOmJhcg==' },
      body,
      expect: ['UNAUTHENTICATED'],
    },
    {
      family: 'auth',
      label: label('role not allowed'),
      headers: json(wrongRole),
      body,
      expect: ['FORBIDDEN'],
    },
  ];
}

/** Malformed requests, whatever the operation: the envelope, the limits, the transport. */
function requestProbes(clerk: string): Probe[] {
  const probes: Probe[] = [];
  // A valid mutation: only the envelope's refusal keeps it out of the log.
  const mutation = `mutation Register($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { caughtUp } }`;
  const variables = { input: { villageId: VILLAGE, householdId: 'H-envelope', name: '信封户' } };
  const valid = JSON.stringify({ query: mutation, variables });
  const inline = `mutation { registerHousehold(input: { villageId: "${VILLAGE}", householdId: "H-inline", name: "内联户" }) { caughtUp } }`;
  const headers = json(clerk);
  const post = (
    family: Family,
    label: string,
    body: () => string | Buffer,
    extra: Partial<Probe> = {},
  ) => probes.push({ family, label, headers, body, ...extra });

  // Invalid JSON.
  const invalidJson = [
    '{',
    '{"query":',
    `${valid.slice(0, -1)},}`,
    `${valid}garbage`,
    `${valid}${valid}`,
    valid.replace(/"/g, "'"),
    `{"query": ${JSON.stringify(mutation)}, "variables": NaN}`,
    `{"query": ${JSON.stringify(mutation)}, "variables": undefined}`,
    `/* comment */ ${valid}`,
    `{query: ${JSON.stringify(mutation)}}`,
    'null',
    'true',
    '42',
    '"query"',
    '\u0000',
    `{"query": "${mutation}\n"}`,
    `{"query": "\\x41"}`,
    `{"query": "\\ud800 \\u12"}`,
    '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[',
    `{"query": ${JSON.stringify(mutation)}, "variables": ${'{"a":'.repeat(5000)}`,
  ];
  for (const [index, body] of invalidJson.entries()) {
    post(
      'invalid JSON',
      `invalid JSON #${index + 1}: ${JSON.stringify(body.slice(0, 40))}`,
      () => body,
    );
  }
  post('invalid JSON', 'UTF-8 BOM before the JSON', () =>
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{')]),
  );
  post('invalid JSON', 'invalid UTF-8 inside a key', () =>
    withRawBytes(`{"que${RAW_MARKER}ry": ${JSON.stringify(mutation)}}`, [0xc0, 0xaf]),
  );
  post('invalid JSON', 'UTF-16 body declared UTF-8', () => Buffer.from(valid, 'utf16le'));
  post(
    'invalid JSON',
    'JSON nested 40,000 deep for an input object',
    () =>
      `{"query": ${JSON.stringify(mutation)}, "variables": {"input": ${'['.repeat(40_000)}${']'.repeat(40_000)}}}`,
    { expect: ['BAD_USER_INPUT'] },
  );

  // Wrong content types (Apollo's CSRF prevention), with and without a preflight header.
  const form = `query=${encodeURIComponent(inline)}`;
  const multipart = `--cunyi\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: inline })}\r\n--cunyi--\r\n`;
  const contentTypes: [string | undefined, string][] = [
    ['text/plain', JSON.stringify({ query: inline })],
    ['text/plain;charset=UTF-8', JSON.stringify({ query: inline })],
    ['application/x-www-form-urlencoded', form],
    ['multipart/form-data; boundary=cunyi', multipart],
    [undefined, JSON.stringify({ query: inline })],
    ['application/xml', `<query>${inline}</query>`],
    ['application/graphql', inline],
    ['application/graphql-response+json', JSON.stringify({ query: inline })],
    ['application/json; charset=latin1', JSON.stringify({ query: inline })],
    ['application/json; charset=utf-16', JSON.stringify({ query: inline })],
    ['text/html', JSON.stringify({ query: inline })],
    ['application/octet-stream', JSON.stringify({ query: inline })],
  ];
  for (const [type, body] of contentTypes) {
    for (const preflight of [false, true]) {
      const base: Record<string, string> = { authorization: `Bearer ${clerk}` };
      if (type !== undefined) base['content-type'] = type;
      if (preflight) base['apollo-require-preflight'] = 'true';
      probes.push({
        family: 'content type',
        label: `content-type ${type ?? '(none)'}${preflight ? ' with apollo-require-preflight' : ''}`,
        headers: base,
        body: () => body,
      });
    }
  }
  probes.push({
    family: 'content type',
    label: 'text/plain with x-apollo-operation-name',
    headers: {
      authorization: `Bearer ${clerk}`,
      'content-type': 'text/plain',
      'x-apollo-operation-name': 'Register',
    },
    body: () => valid,
  });
  probes.push({
    family: 'content type',
    label: 'content-encoding gzip, body plain',
    headers: { ...headers, 'content-encoding': 'gzip' },
    body: () => valid,
  });
  probes.push({
    family: 'content type',
    label: 'content-encoding compress (unsupported)',
    headers: { ...headers, 'content-encoding': 'compress' },
    body: () => valid,
  });

  // Oversized bodies (BODY_LIMIT): a valid mutation padded, and an inflating one.
  const padded = (size: number) => {
    const body = JSON.stringify({ query: mutation, variables, extensions: { pad: RAW_MARKER } });
    return withRawBytes(body, Buffer.alloc(size - body.length + RAW_MARKER.length, 'x'));
  };
  for (const size of [BODY_LIMIT + 1, BODY_LIMIT + 1024, 1024 * 1024, TEN_MB, 12 * 1024 * 1024]) {
    post('oversized body', `valid mutation padded to ${size} bytes`, () => padded(size), {
      expect: ['HTTP 413'],
    });
  }
  post(
    'oversized body',
    `query of ${BODY_LIMIT + 1} bytes of whitespace`,
    () => JSON.stringify({ query: `${' '.repeat(BODY_LIMIT)}${inline}` }),
    { expect: ['HTTP 413'] },
  );
  post(
    'oversized body',
    'deflate bomb (20 MB inflated)',
    () => deflateSync(padded(20 * 1024 * 1024)),
    { headers: { ...headers, 'content-encoding': 'deflate' }, expect: ['HTTP 413'] },
  );
  post(
    '10 MB string',
    'valid mutation with a 10 MB name inline',
    () =>
      withRawBytes(JSON.stringify({ query: inline.replace('内联户', RAW_MARKER) }), TEN_MB_OF_X),
    { expect: ['HTTP 413'] },
  );
  post('oversized body', '10 MB of text/plain', () => TEN_MB_OF_X, {
    headers: { authorization: `Bearer ${clerk}`, 'content-type': 'text/plain' },
  });

  // Depth (GRAPHQL_LIMITS.maxDepth), through fields, fragments and introspection.
  const nest = (levels: number) => `{ ${'me { '.repeat(levels)}subject${' }'.repeat(levels)} }`;
  for (const levels of [maxDepth + 1, 2 * maxDepth, 100, 600]) {
    post('depth', `fields ${levels} deep`, () => JSON.stringify({ query: nest(levels) }));
  }
  post('depth', 'fragment spreading itself', () =>
    JSON.stringify({ query: 'query { ...A } fragment A on Query { ...A }' }),
  );
  post('depth', 'fragments spreading each other', () =>
    JSON.stringify({
      query: 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }',
    }),
  );
  let introspection = 'name';
  for (let level = 0; level < 6; level++)
    introspection = `name fields { type { ofType { ofType { ${introspection} } } } }`;
  post('depth', 'introspection cycling through types', () =>
    JSON.stringify({ query: `{ __schema { types { ${introspection} } } }` }),
  );
  post('depth', '5,000 opening braces', () => JSON.stringify({ query: '{'.repeat(5000) }));
  post('depth', 'list literal 900 deep', () =>
    JSON.stringify({
      query: `{ village(villageId: ${'['.repeat(900)}"x"${']'.repeat(900)}) { id } }`,
    }),
  );
  post('depth', 'input object literal 300 deep', () =>
    JSON.stringify({
      query: `mutation { setPractice(input: ${'{ partyMeetingAttendance: '.repeat(300)}1${' }'.repeat(300)}) { caughtUp } }`,
    }),
  );
  post('depth', 'valid mutation under a deep selection', () =>
    JSON.stringify({
      query: `mutation Register($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { caughtUp ${'village { '.repeat(12)}id${' }'.repeat(12)} } }`,
      variables,
    }),
  );

  // Aliases (GRAPHQL_LIMITS.maxAliases): the same valid mutation many times over, and a query.
  for (const count of [maxAliases + 1, 50, 300]) {
    const many = Array.from(
      { length: count },
      (_, index) =>
        `a${index}: registerHousehold(input: { villageId: "${VILLAGE}", householdId: "H-alias-${index}", name: "别名户" }) { caughtUp }`,
    );
    post('aliases', `${count} aliased valid mutations`, () =>
      JSON.stringify({ query: `mutation { ${many.join(' ')} }` }),
    );
    post('aliases', `${count} aliased queries`, () =>
      JSON.stringify({
        query: `{ ${Array.from({ length: count }, (_, index) => `a${index}: server { name }`).join(' ')} }`,
      }),
    );
  }

  // Cost (GRAPHQL_LIMITS.maxCost).
  post(
    'cost',
    `villages × villagers, 100 × 100: over ${maxCost}`,
    () =>
      JSON.stringify({
        query:
          '{ villages(first: 100) { edges { node { villagers(first: 100) { edges { node { id name householdId birthDate gender } } } } } } }',
      }),
    { expect: ['QUERY_TOO_COMPLEX'] },
  );
  post(
    'cost',
    'five auditTrails of 100 with every field',
    () =>
      JSON.stringify({
        query: `{ ${Array.from({ length: 5 }, (_, i) => `t${i}: auditTrail(villageId: "${VILLAGE}", first: 100) { edges { node { actor { role subject } causationId channel correlationId data eventId occurredAt position recordedAt revision stream type } } }`).join(' ')} ${Array.from({ length: 5 }, (_, i) => `v${i}: villages(first: 100) { edges { node { villagers(first: 100) { edges { node { id } } } } } }`).join(' ')} }`,
      }),
    { expect: ['QUERY_TOO_COMPLEX'] },
  );

  // Directives (GRAPHQL_LIMITS.maxDirectives).
  post('directives', `${maxDirectives + 1} @skip on a valid mutation`, () =>
    JSON.stringify({
      query: `mutation Register($input: RegisterHouseholdInput!) { registerHousehold(input: $input) ${'@skip(if: false) '.repeat(maxDirectives + 1)}{ caughtUp } }`,
      variables,
    }),
  );
  post('directives', `${maxDirectives + 1} @include on distinct fields`, () =>
    JSON.stringify({
      query: `{ server { ${Array.from({ length: maxDirectives + 1 }, (_, i) => `n${i}: name @include(if: true)`).join(' ')} } }`,
    }),
  );
  post('directives', '200 directives', () =>
    JSON.stringify({ query: `{ server ${'@include(if: true) '.repeat(200)}{ name } }` }),
  );
  post('directives', 'unknown directive', () =>
    JSON.stringify({
      query: `mutation Register($input: RegisterHouseholdInput!) { registerHousehold(input: $input) @nope { caughtUp } }`,
      variables,
    }),
  );
  post('directives', '@defer (not enabled)', () =>
    JSON.stringify({ query: '{ server { ... @defer { name } } }' }),
  );

  // Tokens (GRAPHQL_LIMITS.maxTokens).
  post(
    'tokens',
    `valid mutation with ${maxTokens} __typename`,
    () =>
      JSON.stringify({
        query: `mutation Register($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { ${'__typename '.repeat(maxTokens)} } }`,
        variables,
      }),
    { expect: ['QUERY_TOO_COMPLEX'] },
  );
  post(
    'tokens',
    `${maxTokens / 4 + 1} repeated selections of 4 tokens`,
    () => JSON.stringify({ query: `{ ${'server { name } '.repeat(maxTokens / 4 + 1)} }` }),
    { expect: ['QUERY_TOO_COMPLEX'] },
  );

  // Batched (batching is off).
  post(
    'batched',
    'two valid mutations',
    () => JSON.stringify([JSON.parse(valid), JSON.parse(valid)]),
    { expect: ['BAD_REQUEST'] },
  );
  post('batched', 'one valid mutation in an array', () => `[${valid}]`, {
    expect: ['BAD_REQUEST'],
  });
  post(
    'batched',
    '1,000 queries',
    () => JSON.stringify(Array.from({ length: 1000 }, () => ({ query: '{ server { name } }' }))),
    { expect: ['BAD_REQUEST'] },
  );
  post('batched', 'empty array', () => '[]', { expect: ['BAD_REQUEST'] });
  post('batched', 'array of strings', () => JSON.stringify([inline, inline]), {
    expect: ['BAD_REQUEST'],
  });

  // GET: mutations are refused; malformed parameters too.
  const get = (
    label: string,
    search: string,
    extra: Record<string, string> = { 'apollo-require-preflight': 'true' },
  ) =>
    probes.push({
      family: 'GET',
      label,
      method: 'GET',
      search,
      headers: { authorization: `Bearer ${clerk}`, ...extra },
    });
  const q = (parameters: Record<string, string>) => `?${new URLSearchParams(parameters)}`;
  get('valid mutation', q({ query: mutation, variables: JSON.stringify(variables) }));
  get('valid inline mutation', q({ query: inline }));
  get('valid mutation without preflight header', q({ query: inline }), {});
  get('anonymous mutation beside a query', q({ query: `${inline} query Q { server { name } }` }));
  get('query with variables not JSON', q({ query: '{ server { name } }', variables: '{bad' }));
  get('query with variables a string', q({ query: '{ server { name } }', variables: '"x"' }));
  get('query with variables an array', q({ query: '{ server { name } }', variables: '[1]' }));
  get('query with extensions not JSON', q({ query: '{ server { name } }', extensions: '{bad' }));
  get('no query', '');
  get('empty query', q({ query: '' }));
  get('query twice', `${q({ query: '{ server { name } }' })}&query=${encodeURIComponent(inline)}`);
  get('20 kB URL', q({ query: `{ server { name } } #${'x'.repeat(20_000)}` }));
  get(
    'subscription',
    q({ query: 'subscription { decisionPublished(villageId: "bad-input") { id } }' }),
  );

  // Empty bodies.
  for (const body of [
    '',
    ' ',
    '\n',
    '{}',
    '{"query": ""}',
    '{"query": null}',
    '{"variables": {}}',
  ]) {
    post('empty body', `body ${JSON.stringify(body)}`, () => body);
  }

  // `query` not a string.
  for (const value of [
    1,
    true,
    { query: inline },
    [inline],
    { kind: 'Document', definitions: [] },
  ]) {
    post(
      'query not a string',
      `query = ${JSON.stringify(value).slice(0, 40)}`,
      () => JSON.stringify({ query: value }),
      { expect: ['BAD_REQUEST'] },
    );
  }

  // `variables` not an object.
  for (const value of [JSON.stringify(variables), [variables], 1, true, 'input']) {
    post(
      'variables not an object',
      `variables = ${JSON.stringify(value).slice(0, 40)}`,
      () => JSON.stringify({ query: mutation, variables: value }),
      { expect: ['BAD_REQUEST'] },
    );
  }
  post(
    'variables not an object',
    'variables = null for required ones',
    () => JSON.stringify({ query: mutation, variables: null }),
    { expect: ['BAD_USER_INPUT'] },
  );

  // operationName.
  const two = `${mutation} query Other { server { name } }`;
  for (const [label, operationName] of [
    ['unknown', 'Nope'],
    ['a fragment', 'F'],
    ['another case', 'register'],
    ['empty', ''],
  ] as const) {
    post('operationName', `operationName ${label}`, () =>
      JSON.stringify({
        query: `${two} fragment F on Query { server { name } }`,
        variables,
        operationName,
      }),
    );
  }
  post(
    'operationName',
    'missing with two operations',
    () => JSON.stringify({ query: two, variables }),
    { expect: ['OPERATION_RESOLUTION_FAILURE'] },
  );
  for (const operationName of [1, true, ['Register'], { name: 'Register' }]) {
    post(
      'operationName',
      `operationName ${JSON.stringify(operationName)}`,
      () => JSON.stringify({ query: mutation, variables, operationName }),
      { expect: ['BAD_REQUEST'] },
    );
  }

  // extensions and persisted queries.
  const sha = createHash('sha256').update(inline).digest('hex');
  const extensions: [string, unknown, Record<string, unknown>][] = [
    ['a string', 'x', { query: inline }],
    ['an array', [1], { query: inline }],
    [
      'persisted query, hash of nothing stored',
      { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } },
      {},
    ],
    [
      'persisted query, hash not the query’s',
      { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } },
      { query: inline },
    ],
    [
      'persisted query, version 2',
      { persistedQuery: { version: 2, sha256Hash: sha } },
      { query: inline },
    ],
    ['persisted query, a string', { persistedQuery: 'x' }, { query: inline }],
    [
      'persisted query, hash a number',
      { persistedQuery: { version: 1, sha256Hash: 5 } },
      { query: inline },
    ],
    [
      'persisted query, hash uppercase',
      { persistedQuery: { version: 1, sha256Hash: sha.toUpperCase() } },
      { query: inline },
    ],
  ];
  for (const [label, value, rest] of extensions) {
    post('extensions', `extensions ${label}`, () => JSON.stringify({ ...rest, extensions: value }));
  }

  // Subscriptions are served over graphql-ws only.
  post(
    'subscription over HTTP',
    'subscription over POST',
    () =>
      JSON.stringify({
        query: `subscription { decisionPublished(villageId: "${VILLAGE}") { id } }`,
      }),
    { expect: ['BAD_REQUEST'] },
  );
  post(
    'subscription over HTTP',
    'subscription over POST, multipart accepted',
    () =>
      JSON.stringify({ query: `subscription { meetingUpdated(meetingId: "${NOWHERE}") { id } }` }),
    {
      headers: { ...headers, accept: 'multipart/mixed; subscriptionSpec="1.0", application/json' },
      expect: ['BAD_REQUEST'],
    },
  );

  // Methods other than GET and POST.
  for (const method of ['PUT', 'DELETE', 'PATCH']) {
    probes.push({
      family: 'method',
      label: method,
      method,
      headers,
      body: method === 'DELETE' ? undefined : () => valid,
    });
  }
  return probes;
}

// ---------------------------------------------------------------------------------------------
// Sending and judging

async function send(url: string, probe: Probe): Promise<Outcome> {
  const started = performance.now();
  let status = 0;
  let text = '';
  try {
    const response = await fetch(`${url}/graphql${probe.search ?? ''}`, {
      method: probe.method ?? 'POST',
      headers: probe.headers,
      body: probe.body?.(),
      signal: AbortSignal.timeout(30_000),
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    return {
      probe,
      status,
      code: 'NO ANSWER',
      ms: performance.now() - started,
      failure: `no answer: ${(error as Error).cause ?? error}`,
    };
  }
  const ms = performance.now() - started;
  const outcome = (code: string, failure?: string): Outcome => ({
    probe,
    status,
    code,
    ms,
    failure: failure && `${failure}: HTTP ${status} ${text.slice(0, 300)}`,
  });
  if (status >= 500) return outcome(`HTTP ${status}`, 'a 5xx');
  let body: { data?: unknown; errors?: { extensions?: { code?: unknown } }[] } | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const errors = body?.errors;
  if (Array.isArray(errors) && errors.length > 0) {
    const code = errors[0]?.extensions?.code;
    if (typeof code !== 'string') return outcome('NO CODE', 'an error without extensions.code');
    if (!ALLOWED.has(code)) return outcome(code, `code ${code} is not a refusal`);
    if (status !== 200 && (status < 400 || status >= 500))
      return outcome(code, 'errors with an odd status');
    const data = body?.data as Record<string, unknown> | null | undefined;
    if (data != null && Object.values(data).some((value) => value !== null)) {
      return outcome(code, 'partly answered with data');
    }
    if (probe.expect && !probe.expect.includes(code)) {
      return outcome(code, `expected ${probe.expect.join(' or ')}`);
    }
    return outcome(code);
  }
  const code = `HTTP ${status}`;
  if (status >= 400) {
    if (probe.expect && !probe.expect.includes(code)) {
      return outcome(code, `expected ${probe.expect.join(' or ')}`);
    }
    return outcome(code);
  }
  return outcome(code, 'accepted');
}

/** `count` calls of `one`, at most `inFlight` at a time. */
async function concurrently<T, R>(
  items: readonly T[],
  inFlight: number,
  one: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await one(items[index]);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return results;
}

/** The event log, every column of every row in position order, hashed; and its row count. */
function logDigest(dataDir: string): { rows: number; sha256: string } {
  const db = new Database(join(dataDir, 'events.db'), { readonly: true });
  try {
    const hash = createHash('sha256');
    let rows = 0;
    for (const row of db.prepare('SELECT * FROM events ORDER BY position').raw().iterate()) {
      hash.update(JSON.stringify(row)).update('\n');
      rows++;
    }
    return { rows, sha256: hash.digest('hex') };
  } finally {
    db.close();
  }
}

const tally = (outcomes: readonly Outcome[], key: (outcome: Outcome) => string) => {
  const counts = new Map<string, number>();
  for (const outcome of outcomes) counts.set(key(outcome), (counts.get(key(outcome)) ?? 0) + 1);
  return Object.fromEntries([...counts].sort(([, a], [, b]) => b - a));
};

// ---------------------------------------------------------------------------------------------

describe('bad input over HTTP (issue 6)', () => {
  let t: AppUnderTest;
  let schema: GraphQLSchema;
  let targets: Targets;
  const tokens = new Map<Role | 'NEW_CLERK', string>();
  let corpus: Probe[];
  let outcomes: Outcome[];
  let before: { rows: number; sha256: string };
  let elapsed = 0;

  beforeAll(async () => {
    t = await startApp({ MUTATIONS_PER_MINUTE: '100000' });
    const villagerIds = await seedVillage(t, {
      villageId: VILLAGE,
      township: TOWNSHIP,
      adults: 4,
      minors: 0,
      households: 2,
    });
    const actors: [Role | 'NEW_CLERK', Actor][] = [
      ['CLERK', { subject: `clerk-${VILLAGE}`, role: 'CLERK', villageId: VILLAGE }],
      ['VILLAGER', { subject: villagerIds[0], role: 'VILLAGER', villageId: VILLAGE }],
      ['SUPERVISOR', { subject: villagerIds[1], role: 'SUPERVISOR', villageId: VILLAGE }],
      ['TOWNSHIP_AUDITOR', { subject: 'auditor-1', role: 'TOWNSHIP_AUDITOR', township: TOWNSHIP }],
      ['INTEGRATOR', { subject: 'integrator-1', role: 'INTEGRATOR' }],
      ['NEW_CLERK', { subject: `clerk-${FRESH_VILLAGE}`, role: 'CLERK', villageId: FRESH_VILLAGE }],
    ];
    for (const [key, actor] of actors) tokens.set(key, await t.token(actor));
    const clerk = tokens.get('CLERK') as string;
    const proposalId = ok(
      await t.graphql<{ draftProposal: { proposal: { id: string } } }>(
        'mutation ($input: DraftProposalInput!) { draftProposal(input: $input) { proposal { id } } }',
        {
          input: {
            villageId: VILLAGE,
            title: '修村道',
            body: '修建村东道路。',
            matter: 'PUBLIC_WORKS',
            proposer: 'COMMITTEE',
          },
        },
        clerk,
      ),
    ).draftProposal.proposal.id;
    const planId = ok(
      await t.graphql<{ draftPlan: { plan: { id: string } } }>(
        'mutation ($input: DraftPlanInput!) { draftPlan(input: $input) { plan { id } } }',
        { input: { villageId: VILLAGE, kind: 'VILLAGE_LAYOUT', title: '村庄规划' } },
        clerk,
      ),
    ).draftPlan.plan.id;
    const petitionId = ok(
      await t.graphql<{ startPetition: { petition: { id: string } } }>(
        'mutation ($input: StartPetitionInput!) { startPetition(input: $input) { petition { id } } }',
        {
          input: {
            villageId: VILLAGE,
            purpose: 'CONVENE_ASSEMBLY',
            signatories: 'VILLAGERS',
            subject: '召开村民会议',
          },
        },
        tokens.get('VILLAGER'),
      ),
    ).startPetition.petition.id;
    targets = { villagerIds, proposalId, planId, petitionId };
    schema = buildClientSchema(
      ok(await t.graphql<IntrospectionQuery>(getIntrospectionQuery(), {}, clerk)),
    );

    const bounds = validatorBounds();
    const roots: RootField[] = [];
    const tokenFor = (name: string, roles: readonly Role[], kind: 'mutation' | 'query') => {
      if (kind === 'mutation' && name === 'registerVillage')
        return tokens.get('NEW_CLERK') as string;
      const role = (
        ['CLERK', 'VILLAGER', 'SUPERVISOR', 'TOWNSHIP_AUDITOR', 'INTEGRATOR'] as const
      ).find((r) => roles.includes(r));
      return tokens.get(role ?? 'CLERK') as string;
    };
    for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
      const roles = (MUTATION_ROLES as Record<string, readonly Role[]>)[field.name] ?? [];
      roots.push({ kind: 'mutation', field, token: tokenFor(field.name, roles, 'mutation') });
    }
    for (const field of Object.values(schema.getQueryType()?.getFields() ?? {})) {
      if (field.args.length === 0) continue;
      const roles = PUBLIC_QUERIES.includes(field.name)
        ? ['CLERK' as const]
        : ((QUERY_ROLES as Record<string, readonly Role[]>)[field.name] ?? []);
      roots.push({ kind: 'query', field, token: tokenFor(field.name, roles, 'query') });
    }
    corpus = [
      ...roots.flatMap((root) => fieldProbes(root, targets, bounds)),
      ...roots
        .filter((root) => root.kind === 'mutation')
        .flatMap((root) => {
          const roles = (MUTATION_ROLES as Record<string, readonly Role[]>)[root.field.name] ?? [];
          const wrong = roles.includes('CLERK') ? tokens.get('VILLAGER') : tokens.get('CLERK');
          return authProbes(root, targets, wrong as string, bounds);
        }),
      ...requestProbes(clerk),
    ];

    before = logDigest(t.dataDir);
    const started = performance.now();
    outcomes = await concurrently(corpus, IN_FLIGHT, (probe) => send(t.url, probe));
    elapsed = performance.now() - started;
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it(`is a corpus of at least ${MIN_CORPUS} requests covering every kind of malformation`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(MIN_CORPUS);
    const families = new Set(corpus.map((probe) => probe.family));
    expect([...families].sort()).toEqual([...FAMILIES].sort());
    // Every mutation of the schema is in it, every argument of each one malformed.
    const mutations = Object.keys(schema.getMutationType()?.getFields() ?? {});
    expect(mutations.length).toBeGreaterThan(40);
    for (const name of mutations) {
      expect(corpus.some((probe) => probe.label.startsWith(`${name} `))).toBe(true);
    }
  });

  it('answers every one with a structured refusal: no 5xx, no internal error, no dropped connection', () => {
    const codes = tally(outcomes, (outcome) => outcome.code);
    const byFamily = tally(outcomes, (outcome) => `${outcome.probe.family} → ${outcome.code}`);
    const slowest = [...outcomes].sort((x, y) => y.ms - x.ms).slice(0, 3);
    // The summary issue 6 asks for: how many, how fast, and what they were answered with.
    console.log(
      [
        `${outcomes.length} malformed requests in ${(elapsed / 1000).toFixed(1)} s, ${IN_FLIGHT} in flight`,
        `codes: ${JSON.stringify(codes)}`,
        `by family: ${JSON.stringify(byFamily)}`,
        `slowest: ${slowest.map((o) => `${o.probe.label.slice(0, 60)} (${o.ms.toFixed(0)} ms)`).join('; ')}`,
      ].join('\n'),
    );
    const failures = outcomes
      .filter((outcome) => outcome.failure !== undefined)
      .map(
        (outcome) =>
          `[${outcome.probe.family}] ${outcome.probe.label.slice(0, 160)} — ${outcome.failure}`,
      );
    expect(failures).toEqual([]);
    expect(Object.keys(codes)).not.toContain('INTERNAL_SERVER_ERROR');
  });

  it('stores nothing: the event log is byte-identical, row for row', () => {
    const after = logDigest(t.dataDir);
    expect(after.rows).toBe(before.rows);
    expect(after.sha256).toBe(before.sha256);
  });

  it('is still ready, and answers a normal query and a valid mutation afterwards', async () => {
    const ready = await fetch(`${t.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok' });
    const clerk = tokens.get('CLERK') as string;
    const village = ok(
      await t.graphql<{ village: { id: string; rollSize: number; householdCount: number } }>(
        'query ($v: ID!) { village(villageId: $v) { id rollSize householdCount } }',
        { v: VILLAGE },
        clerk,
      ),
    ).village;
    expect(village).toEqual({ id: VILLAGE, rollSize: 4, householdCount: 2 });
    // The writer is not wedged either: the envelope's mutation, sent properly, is stored.
    const registered = await t.graphql(
      'mutation ($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { caughtUp } }',
      { input: { villageId: VILLAGE, householdId: 'H-envelope', name: '信封户' } },
      clerk,
    );
    expect(ok(registered)).toEqual({ registerHousehold: { caughtUp: true } });
    expect(logDigest(t.dataDir).rows).toBe(before.rows + 1);
  });
});

describe('the mutation rate limiter refuses with a structured answer too', () => {
  let t: AppUnderTest;

  beforeAll(async () => {
    t = await startApp({ MUTATIONS_PER_MINUTE: '3' });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('counts malformed mutations, then answers RATE_LIMITED with a retry time, storing nothing', async () => {
    const token = await t.token({ subject: 'clerk-burst', role: 'CLERK', villageId: VILLAGE });
    const before = logDigest(t.dataDir);
    const answers: { status: number; code: unknown; retryAfter: unknown; header: string | null }[] =
      [];
    for (let index = 0; index < 6; index++) {
      const response = await fetch(`${t.url}/graphql`, {
        method: 'POST',
        headers: json(token),
        body: JSON.stringify({
          query:
            'mutation ($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { caughtUp } }',
          variables: { input: { villageId: VILLAGE, householdId: 'H1', name: 'x'.repeat(51) } },
        }),
      });
      const body = (await response.json()) as {
        errors?: { extensions?: Record<string, unknown> }[];
      };
      answers.push({
        status: response.status,
        code: body.errors?.[0]?.extensions?.code,
        retryAfter: body.errors?.[0]?.extensions?.retryAfterSeconds,
        header: response.headers.get('retry-after'),
      });
    }
    expect(answers.map((answer) => answer.code)).toEqual([
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'RATE_LIMITED',
      'RATE_LIMITED',
      'RATE_LIMITED',
    ]);
    for (const answer of answers.slice(3)) {
      expect([200, 429]).toContain(answer.status);
      expect(answer.retryAfter).toEqual(expect.any(Number));
      expect(answer.retryAfter as number).toBeGreaterThan(0);
      // …and says so in the Retry-After header too.
      expect(answer.header).toBe(String(answer.retryAfter));
    }
    // Queries are never counted.
    const server = await t.graphql('{ server { name } }', {}, token);
    expect(ok(server)).toEqual({ server: { name: 'cunyi' } });
    expect(logDigest(t.dataDir)).toEqual(before);
  });
});
