import { type Gender, isDate, type village } from '@cunyi/domain';
import { CsvError, parse } from 'csv-parse/sync';

/**
 * The household register a village keeps as a spreadsheet, exported as CSV, read into the
 * households and villagers an import registers. All rows or none: a roll half imported would be a
 * roll nobody can trust, so every problem in the file is reported at once, each on the physical
 * line a clerk sees in a text editor (the header is line 1).
 */

export interface RollCsvHousehold {
  readonly householdId: string;
  /** 户名: the 户名 column when the file has one, otherwise the household's first villager listed. */
  readonly name: string;
}

export interface RollCsvVillager {
  readonly line: number;
  readonly householdId: string;
  readonly name: string;
  readonly gender: Gender;
  /** YYYY-MM-DD. */
  readonly birthDate: string;
  readonly residenceBasis: village.ResidenceBasis;
}

export interface RollCsvProblem {
  readonly line: number;
  /** The column's heading as the file spells it (or, when the column is missing, its Chinese name). */
  readonly column?: string;
  readonly message: string;
}

export class RollCsvError extends Error {
  readonly code = 'INVALID_ROLL_CSV';
  constructor(readonly problems: readonly RollCsvProblem[]) {
    super(`the roll CSV was refused: ${problems.map(describe).join('; ')}`);
    this.name = 'RollCsvError';
  }
}

function describe({ line, column, message }: RollCsvProblem): string {
  return `line ${line}${column === undefined ? '' : ` (${column})`}: ${message}`;
}

type Field = 'householdId' | 'name' | 'gender' | 'birthDate' | 'residenceBasis' | 'householdName';

/** The headings each column may go by, in lower case; the first is the one problems name. */
const HEADINGS: Readonly<Record<Field, readonly string[]>> = {
  householdId: ['户号', 'household_id', 'household id'],
  name: ['姓名', 'name'],
  gender: ['性别', 'gender'],
  birthDate: ['出生日期', 'birth_date', 'birth date'],
  residenceBasis: ['居住依据', '户籍类型', 'residence_basis', 'residence basis'],
  householdName: ['户名', 'household_name'],
};
const REQUIRED = ['householdId', 'name', 'gender', 'birthDate', 'residenceBasis'] as const;
const FIELD_OF_HEADING = new Map(
  Object.entries(HEADINGS).flatMap(([field, headings]) =>
    headings.map((heading) => [heading, field as Field] as const),
  ),
);

const GENDERS = new Map<string, Gender>([
  ['男', 'MALE'],
  ['男性', 'MALE'],
  ['M', 'MALE'],
  ['MALE', 'MALE'],
  ['女', 'FEMALE'],
  ['女性', 'FEMALE'],
  ['F', 'FEMALE'],
  ['FEMALE', 'FEMALE'],
]);
const RESIDENCE_BASES = new Map<string, village.ResidenceBasis>([
  ['户籍', 'HOUSEHOLD_REGISTRATION'],
  ['户籍村民', 'HOUSEHOLD_REGISTRATION'],
  ['HOUSEHOLD_REGISTRATION', 'HOUSEHOLD_REGISTRATION'],
  ['居住一年以上', 'RESIDENT_ONE_YEAR'],
  ['RESIDENT_ONE_YEAR', 'RESIDENT_ONE_YEAR'],
  ['其他', 'OTHER'],
  ['OTHER', 'OTHER'],
]);

const MAX_NAME = 50;
const MAX_HOUSEHOLD_ID = 32;
const HOUSEHOLD_ID = /^[\p{L}\p{N}_-]+$/u;
/** The ways spreadsheets in Chinese locales write a date; month and day may drop their zero. */
const BIRTH_DATE = /^(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|年(\d{1,2})月(\d{1,2})日)$/u;
const EARLIEST_BIRTH_DATE = '1900-01-01';
const LATEST_BIRTH_DATE = '2100-12-31';

const LF = 0x0a;
const CR = 0x0d;

interface Row {
  readonly line: number;
  readonly cells: readonly string[];
}

interface Column {
  readonly index: number;
  readonly heading: string;
}

/** A household as read so far: `namedOn` is the line whose 户名 cell gave its name, if any did. */
interface Household {
  name: string;
  namedOn?: number;
}

type Parsed<T> = { readonly value: T } | { readonly why: string };

export function parseRollCsv(input: string | Buffer): {
  households: RollCsvHousehold[];
  villagers: RollCsvVillager[];
} {
  const text = typeof input === 'string' ? input : decodeUtf8(input);
  const {
    rows: [header, ...rows],
    unreadable,
  } = readRows(text);
  if (header === undefined) {
    throw new RollCsvError([
      unreadable ?? { line: 1, message: 'the file is empty: it has no header and no villagers' },
    ]);
  }
  const problems: RollCsvProblem[] = [];
  const columns = readHeader(header, problems);
  if (rows.length === 0 && unreadable === undefined) {
    problems.push({ line: header.line, message: 'the file lists no villagers' });
  }
  const villagers: RollCsvVillager[] = [];
  const households = new Map<string, Household>();
  const firstListed = new Map<string, number>();
  for (const row of rows) {
    if (row.cells.length !== header.cells.length) {
      problems.push({
        line: row.line,
        message: `the row has ${row.cells.length} cells but the header has ${header.cells.length}`,
      });
      continue;
    }
    const found = readRow(row, columns, problems);
    if (found === undefined) continue;
    const { villager, householdName } = found;
    const person = [villager.householdId, villager.name, villager.birthDate].join('\u0000');
    const first = firstListed.get(person);
    if (first !== undefined) {
      problems.push({
        line: row.line,
        message: `${villager.name} (born ${villager.birthDate}, household ${villager.householdId}) is already listed on line ${first}`,
      });
      continue;
    }
    firstListed.set(person, row.line);
    nameHousehold(households, villager, householdName, columns.get('householdName'), problems);
    villagers.push(villager);
  }
  // Whatever follows an unreadable line is unknown, so its problem comes after every row read.
  if (unreadable !== undefined) problems.push(unreadable);
  if (problems.length > 0) throw new RollCsvError(problems);
  return {
    households: [...households].map(([householdId, { name }]) => ({ householdId, name })),
    villagers,
  };
}

function decodeUtf8(input: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    // Excel in a Chinese locale saves "CSV" as GBK; read as UTF-8, every name would be garbled.
    throw new RollCsvError([
      {
        line: 1,
        message:
          'the file must be saved as UTF-8 (in Excel: Save As "CSV UTF-8"); it looks like another encoding, such as GBK',
      },
    ]);
  }
}

/**
 * The file's non-blank records, each with the physical line it starts on. csv-parse's own line
 * count goes wrong when a quoted cell holds a CRLF, so lines are counted here from the UTF-8 byte
 * offset where each record begins. Rows of empty cells are how spreadsheets export blank rows.
 */
function readRows(text: string): { rows: Row[]; unreadable?: RollCsvProblem } {
  const bytes = Buffer.from(text, 'utf8');
  let cursor = 0;
  let line = 1;
  const lineAt = (offset: number): number => {
    for (; cursor < offset; cursor++) {
      const byte = bytes[cursor];
      if (byte === LF || (byte === CR && bytes[cursor + 1] !== LF)) line++;
    }
    return line;
  };
  const rows: Row[] = [];
  let start = 0;
  try {
    parse(text, {
      bom: true,
      relax_column_count: true,
      // A quote mark inside an unquoted cell is kept as written, as a spreadsheet would.
      relax_quotes: true,
      on_record: (cells, info) => {
        const recordLine = lineAt(start);
        start = info.bytes_records;
        if (cells.some((cell) => cell.trim() !== '')) rows.push({ line: recordLine, cells });
        return null;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const message =
      error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? 'a quoted cell starting on this line is never closed'
        : `the file cannot be read as CSV from this line: ${error.message}`;
    return { rows, unreadable: { line: lineAt(start), message } };
  }
  return { rows };
}

function readHeader(header: Row, problems: RollCsvProblem[]): Map<Field, Column> {
  const columns = new Map<Field, Column>();
  header.cells.forEach((cell, index) => {
    const heading = cell.trim();
    const line = header.line;
    if (heading === '') {
      problems.push({ line, message: `column ${index + 1} has no heading` });
      return;
    }
    const field = FIELD_OF_HEADING.get(heading.toLowerCase());
    if (field === undefined) {
      problems.push({
        line,
        column: heading,
        message: `unknown column "${heading}": the columns are 户号, 姓名, 性别, 出生日期, 居住依据 and, if wanted, 户名 (or household_id, name, gender, birth_date, residence_basis, household_name)`,
      });
      return;
    }
    const earlier = columns.get(field);
    if (earlier !== undefined) {
      problems.push({
        line,
        column: heading,
        message: `column ${index + 1} "${heading}" repeats column ${earlier.index + 1} "${earlier.heading}"`,
      });
      return;
    }
    columns.set(field, { index, heading });
  });
  for (const field of REQUIRED) {
    if (!columns.has(field)) {
      const [chinese, english] = HEADINGS[field];
      problems.push({
        line: header.line,
        column: chinese,
        message: `the ${chinese} (${english}) column is missing`,
      });
    }
  }
  return columns;
}

/** The row's villager, or undefined when a cell is missing or bad (each such cell a problem). */
function readRow(
  row: Row,
  columns: ReadonlyMap<Field, Column>,
  problems: RollCsvProblem[],
): { villager: RollCsvVillager; householdName: string } | undefined {
  const read = <T>(field: Field, parser: (value: string) => Parsed<T>): T | undefined => {
    const column = columns.get(field);
    if (column === undefined) return undefined;
    const value = (row.cells[column.index] ?? '').trim();
    const parsed = value === '' ? { why: `${column.heading} is empty` } : parser(value);
    if ('value' in parsed) return parsed.value;
    problems.push({ line: row.line, column: column.heading, message: parsed.why });
    return undefined;
  };
  const householdId = read('householdId', parseHouseholdId);
  const name = read('name', parseName);
  const gender = read('gender', parseGender);
  const birthDate = read('birthDate', parseBirthDate);
  const residenceBasis = read('residenceBasis', parseResidenceBasis);
  const householdNameColumn = columns.get('householdName');
  // 户名 may be left empty: the household is then named after its first villager.
  const householdName =
    householdNameColumn === undefined || row.cells[householdNameColumn.index]?.trim() === ''
      ? ''
      : read('householdName', parseName);
  if (
    householdId === undefined ||
    name === undefined ||
    gender === undefined ||
    birthDate === undefined ||
    residenceBasis === undefined ||
    householdName === undefined
  ) {
    return undefined;
  }
  return {
    villager: { line: row.line, householdId, name, gender, birthDate, residenceBasis },
    householdName,
  };
}

/** Records the household at its first appearance; a 户名 cell names it over its first villager. */
function nameHousehold(
  households: Map<string, Household>,
  villager: RollCsvVillager,
  householdName: string,
  column: Column | undefined,
  problems: RollCsvProblem[],
): void {
  const household = households.get(villager.householdId);
  if (household === undefined) {
    households.set(
      villager.householdId,
      householdName === ''
        ? { name: villager.name }
        : { name: householdName, namedOn: villager.line },
    );
    return;
  }
  if (householdName === '') return;
  if (household.namedOn === undefined) {
    household.name = householdName;
    household.namedOn = villager.line;
  } else if (household.name !== householdName) {
    problems.push({
      line: villager.line,
      column: column?.heading,
      message: `household ${villager.householdId} is named "${householdName}" here but "${household.name}" on line ${household.namedOn}`,
    });
  }
}

function parseHouseholdId(value: string): Parsed<string> {
  if ([...value].length > MAX_HOUSEHOLD_ID) {
    return { why: `household id "${value}" is longer than ${MAX_HOUSEHOLD_ID} characters` };
  }
  if (!HOUSEHOLD_ID.test(value)) {
    return { why: `household id "${value}" may hold only letters, digits, _ and -` };
  }
  return { value };
}

function parseName(value: string): Parsed<string> {
  return [...value].length > MAX_NAME
    ? { why: `"${value}" is longer than ${MAX_NAME} characters` }
    : { value };
}

function parseGender(value: string): Parsed<Gender> {
  const gender = GENDERS.get(value.toUpperCase());
  return gender === undefined
    ? { why: `gender "${value}" is not one of 男, 女, 男性, 女性, M, F, MALE, FEMALE` }
    : { value: gender };
}

function parseBirthDate(value: string): Parsed<string> {
  const match = BIRTH_DATE.exec(value);
  if (match === null) {
    return {
      why: `birth date "${value}" is not written like 1990-01-05, 1990/1/5 or 1990年1月5日`,
    };
  }
  const [, year, , month, day, chineseMonth, chineseDay] = match;
  const date = [year, month ?? chineseMonth, day ?? chineseDay]
    .map((part) => (part ?? '').padStart(2, '0'))
    .join('-');
  if (!isDate(date)) return { why: `birth date "${value}" is not a real calendar date` };
  if (date < EARLIEST_BIRTH_DATE || date > LATEST_BIRTH_DATE) {
    return {
      why: `birth date "${value}" is not between ${EARLIEST_BIRTH_DATE} and ${LATEST_BIRTH_DATE}`,
    };
  }
  return { value: date };
}

function parseResidenceBasis(value: string): Parsed<village.ResidenceBasis> {
  const basis = RESIDENCE_BASES.get(value.toUpperCase());
  return basis === undefined
    ? {
        why: `residence basis "${value}" is not one of 户籍, 户籍村民, 居住一年以上, 其他 (or HOUSEHOLD_REGISTRATION, RESIDENT_ONE_YEAR, OTHER)`,
      }
    : { value: basis };
}
