import { parseRollCsv, RollCsvError, type RollCsvProblem } from './roll-csv';

const BOM = '\ufeff';
const HEADER_ZH = '户号,姓名,性别,出生日期,居住依据';

function csv(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

function problemsOf(input: string | Buffer): readonly RollCsvProblem[] {
  try {
    parseRollCsv(input);
  } catch (error) {
    if (error instanceof RollCsvError) return error.problems;
    throw error;
  }
  throw new Error('the roll was accepted');
}

describe('parseRollCsv', () => {
  describe('a good roll', () => {
    const chinese =
      BOM +
      csv(
        HEADER_ZH,
        '001,王小明,男,1958-03-12,户籍',
        '001,李秀兰,女,1961/7/4,户籍村民',
        '002,张伟,男性,1990.01.05,居住一年以上',
        '001,王芳,女性,1985年11月2日,其他',
      );

    it('reads a Chinese-header file saved with a BOM', () => {
      expect(parseRollCsv(chinese)).toEqual({
        households: [
          { householdId: '001', name: '王小明' },
          { householdId: '002', name: '张伟' },
        ],
        villagers: [
          {
            line: 2,
            householdId: '001',
            name: '王小明',
            gender: 'MALE',
            birthDate: '1958-03-12',
            residenceBasis: 'HOUSEHOLD_REGISTRATION',
          },
          {
            line: 3,
            householdId: '001',
            name: '李秀兰',
            gender: 'FEMALE',
            birthDate: '1961-07-04',
            residenceBasis: 'HOUSEHOLD_REGISTRATION',
          },
          {
            line: 4,
            householdId: '002',
            name: '张伟',
            gender: 'MALE',
            birthDate: '1990-01-05',
            residenceBasis: 'RESIDENT_ONE_YEAR',
          },
          {
            line: 5,
            householdId: '001',
            name: '王芳',
            gender: 'FEMALE',
            birthDate: '1985-11-02',
            residenceBasis: 'OTHER',
          },
        ],
      });
    });

    it('reads the same file from UTF-8 bytes, with or without the BOM', () => {
      const expected = parseRollCsv(chinese);
      expect(parseRollCsv(Buffer.from(chinese, 'utf8'))).toEqual(expected);
      expect(parseRollCsv(Buffer.from(chinese.slice(1), 'utf8'))).toEqual(expected);
    });

    it('reads an English-header file without a BOM, headings in any case', () => {
      const english = csv(
        ' Household ID ,NAME,Gender,birth_date,Residence_Basis',
        'h-7,Wang Xiaoming,m,1970-1-1,household_registration',
        'h-7,Li Xiulan,Female,2001-12-31,Resident_One_Year',
      );
      expect(parseRollCsv(english)).toEqual({
        households: [{ householdId: 'h-7', name: 'Wang Xiaoming' }],
        villagers: [
          {
            line: 2,
            householdId: 'h-7',
            name: 'Wang Xiaoming',
            gender: 'MALE',
            birthDate: '1970-01-01',
            residenceBasis: 'HOUSEHOLD_REGISTRATION',
          },
          {
            line: 3,
            householdId: 'h-7',
            name: 'Li Xiulan',
            gender: 'FEMALE',
            birthDate: '2001-12-31',
            residenceBasis: 'RESIDENT_ONE_YEAR',
          },
        ],
      });
    });

    it('accepts 户籍类型 and the English spellings with a space', () => {
      const { villagers } = parseRollCsv(
        csv('household id,name,gender,birth date,户籍类型', '003,赵丽,F,1999-09-09,户籍'),
      );
      expect(villagers).toEqual([expect.objectContaining({ name: '赵丽', gender: 'FEMALE' })]);
    });

    it('trims cells, full-width spaces included', () => {
      const { villagers } = parseRollCsv(
        csv(HEADER_ZH, ' 001 ,\u3000王小明\u3000, 男 ,1958-03-12 , 户籍'),
      );
      expect(villagers[0]).toMatchObject({ householdId: '001', name: '王小明', gender: 'MALE' });
    });

    it('reads CRLF line endings and skips blank lines and empty spreadsheet rows, counting them', () => {
      const crlf = `${HEADER_ZH}\r\n\r\n001,王小明,男,1958-03-12,户籍\r\n,,,,\r\n002,张伟,男,1990-01-05,户籍\r\n\r\n`;
      expect(parseRollCsv(crlf).villagers.map((v) => [v.line, v.name])).toEqual([
        [3, '王小明'],
        [5, '张伟'],
      ]);
    });

    it('reads quoted cells holding commas and line breaks, counting the lines after them', () => {
      const lines = (eol: string): string =>
        [
          `${HEADER_ZH},户名`,
          `001,王小明,男,1958-03-12,户籍,"王家,东头"`,
          `002,张伟,男,1990-01-05,户籍,"张家${eol}西头"`,
          `003,赵丽,女,1999-09-09,户籍,`,
          `003,赵刚,男,1999-09-09,户籍,"赵家""老屋"""`,
          '',
        ].join(eol);
      for (const eol of ['\n', '\r\n']) {
        const { households, villagers } = parseRollCsv(lines(eol));
        expect(households).toEqual([
          { householdId: '001', name: '王家,东头' },
          { householdId: '002', name: `张家${eol}西头` },
          { householdId: '003', name: '赵家"老屋"' },
        ]);
        expect(villagers.map((v) => v.line)).toEqual([2, 3, 5, 6]);
      }
    });

    it('names a household after its first villager when its 户名 cells are empty', () => {
      const { households } = parseRollCsv(
        csv('户名,户号,姓名,性别,出生日期,居住依据', ',001,王小明,男,1958-03-12,户籍'),
      );
      expect(households).toEqual([{ householdId: '001', name: '王小明' }]);
    });

    it('keeps a quote mark written inside an unquoted cell', () => {
      const { villagers } = parseRollCsv(csv(HEADER_ZH, '001,王"小"明,男,1958-03-12,户籍'));
      expect(villagers[0]?.name).toBe('王"小"明');
    });
  });

  describe('a bad value', () => {
    it.each([
      ['an empty household id', ',王小明,男,1958-03-12,户籍', '户号', '户号 is empty'],
      ['an empty name', '001,,男,1958-03-12,户籍', '姓名', '姓名 is empty'],
      ['an empty gender', '001,王小明,,1958-03-12,户籍', '性别', '性别 is empty'],
      ['an empty birth date', '001,王小明,男,,户籍', '出生日期', '出生日期 is empty'],
      ['an empty residence basis', '001,王小明,男,1958-03-12,', '居住依据', '居住依据 is empty'],
      ['an unknown gender', '001,王小明,未知,1958-03-12,户籍', '性别', 'gender "未知"'],
      ['a birth date in no known form', '001,王小明,男,12/03/1958,户籍', '出生日期', 'not written'],
      ['mixed date separators', '001,王小明,男,1958-03/12,户籍', '出生日期', 'not written'],
      ['a date not on the calendar', '001,王小明,男,2023-02-30,户籍', '出生日期', 'real calendar'],
      ['a date before 1900', '001,王小明,男,1899-12-31,户籍', '出生日期', 'not between'],
      ['a date after 2100', '001,王小明,男,2101-01-01,户籍', '出生日期', 'not between'],
      [
        'an unknown residence basis',
        '001,王小明,男,1958-03-12,暂住',
        '居住依据',
        'residence basis',
      ],
      ['a household id with a space', '0 1,王小明,男,1958-03-12,户籍', '户号', 'only letters'],
      [
        'a long household id',
        `${'1'.repeat(33)},王小明,男,1958-03-12,户籍`,
        '户号',
        'longer than 32',
      ],
      ['a long name', `001,${'王'.repeat(51)},男,1958-03-12,户籍`, '姓名', 'longer than 50'],
    ])('%s is reported on its line and column', (_, row, column, message) => {
      expect(problemsOf(csv(HEADER_ZH, '001,王芳,女,1985-11-02,户籍', row))).toEqual([
        { line: 3, column, message: expect.stringContaining(message) },
      ]);
    });

    it('allows the longest household id and name', () => {
      const id = 'a'.repeat(32);
      const name = '王'.repeat(50);
      const { villagers } = parseRollCsv(csv(HEADER_ZH, `${id},${name},男,1958-03-12,户籍`));
      expect(villagers[0]).toMatchObject({ householdId: id, name });
    });

    it('reports every bad row and cell together, each on its physical line', () => {
      const file = [
        HEADER_ZH,
        '001,王小明,男,1958-03-12,户籍',
        '001,"李秀兰',
        '(兰兰)",X,1961-02-29,户籍',
        '',
        '002,张伟,男,1990-01-05',
        '002,,男,1990-13-01,居住',
        '003,赵丽,女,1999-09-09,户籍',
      ].join('\r\n');
      expect(problemsOf(file)).toEqual([
        { line: 3, column: '性别', message: expect.stringContaining('"X"') },
        { line: 3, column: '出生日期', message: expect.stringContaining('real calendar') },
        { line: 6, message: 'the row has 4 cells but the header has 5' },
        { line: 7, column: '姓名', message: '姓名 is empty' },
        { line: 7, column: '出生日期', message: expect.stringContaining('real calendar') },
        { line: 7, column: '居住依据', message: expect.stringContaining('"居住"') },
      ]);
    });

    it('refuses a row with more cells than the header', () => {
      expect(problemsOf(csv(HEADER_ZH, '001,王小明,男,1958-03-12,户籍,备注'))).toEqual([
        { line: 2, message: 'the row has 6 cells but the header has 5' },
      ]);
    });

    it('refuses a household given two 户名, naming the line of the first', () => {
      const file = csv(
        `${HEADER_ZH},户名`,
        '001,王小明,男,1958-03-12,户籍,',
        '001,李秀兰,女,1961-07-04,户籍,王家',
        '001,王芳,女,1985-11-02,户籍,李家',
      );
      expect(problemsOf(file)).toEqual([
        {
          line: 4,
          column: '户名',
          message: 'household 001 is named "李家" here but "王家" on line 3',
        },
      ]);
    });
  });

  it('refuses the same person listed twice, naming the first line', () => {
    const file = csv(
      HEADER_ZH,
      '001,王小明,男,1958-03-12,户籍',
      '002,王小明,男,1958-03-12,户籍',
      '001,王小明,男,1958/3/12,户籍',
    );
    expect(problemsOf(file)).toEqual([
      {
        line: 4,
        message: '王小明 (born 1958-03-12, household 001) is already listed on line 2',
      },
    ]);
  });

  describe('the header', () => {
    it('names a missing column', () => {
      expect(problemsOf(csv('户号,姓名,性别,居住依据', '001,王小明,男,户籍'))).toEqual([
        { line: 1, column: '出生日期', message: 'the 出生日期 (birth_date) column is missing' },
      ]);
    });

    it('names an unknown column', () => {
      expect(problemsOf(csv(`${HEADER_ZH},备注`, '001,王小明,男,1958-03-12,户籍,'))).toEqual([
        { line: 1, column: '备注', message: expect.stringContaining('unknown column "备注"') },
      ]);
    });

    it('names a column given twice, under the same or another heading', () => {
      expect(
        problemsOf(csv(`${HEADER_ZH},户籍类型,NAME`, '001,王小明,男,1958-03-12,户籍,户籍,王小明')),
      ).toEqual([
        { line: 1, column: '户籍类型', message: 'column 6 "户籍类型" repeats column 5 "居住依据"' },
        { line: 1, column: 'NAME', message: 'column 7 "NAME" repeats column 2 "姓名"' },
      ]);
    });

    it('refuses a column without a heading', () => {
      expect(problemsOf(csv(`${HEADER_ZH},`, '001,王小明,男,1958-03-12,户籍,'))).toEqual([
        { line: 1, message: 'column 6 has no heading' },
      ]);
    });

    it('reports its problems together with the rows', () => {
      expect(problemsOf(csv('户号,姓名,性别,出生日期', '001,王小明,男,1958-02-30'))).toEqual([
        { line: 1, column: '居住依据', message: expect.stringContaining('missing') },
        { line: 2, column: '出生日期', message: expect.stringContaining('real calendar') },
      ]);
    });
  });

  describe('a file with nothing to import', () => {
    it.each([
      ['empty', ''],
      ['a BOM alone', BOM],
      ['blank lines', '\n\r\n \n'],
    ])('refuses a file that is %s', (_, file) => {
      expect(problemsOf(file)).toEqual([
        { line: 1, message: expect.stringContaining('no villagers') },
      ]);
    });

    it('refuses a header with no villagers under it', () => {
      expect(problemsOf(csv(HEADER_ZH, ',,,,', ''))).toEqual([
        { line: 1, message: 'the file lists no villagers' },
      ]);
    });
  });

  it('refuses a file that is not UTF-8, such as an Excel GBK export', () => {
    // "户号,姓名" and "王小明" as GBK bytes.
    const gbk = Buffer.from('bba7bac52cd0d5c3fb0a' + 'cdf5d0a1c3f70a', 'hex');
    expect(problemsOf(gbk)).toEqual([
      { line: 1, message: expect.stringContaining('must be saved as UTF-8') },
    ]);
  });

  it('reports an unclosed quote on the line it opens, after the problems before it', () => {
    const file = csv(
      HEADER_ZH,
      '001,王小明,男,1958-13-12,户籍',
      '002,"张伟,男,1990-01-05,户籍',
      '003,赵丽,女,1999-09-09,户籍',
    );
    expect(problemsOf(file)).toEqual([
      { line: 2, column: '出生日期', message: expect.stringContaining('real calendar') },
      { line: 3, message: 'a quoted cell starting on this line is never closed' },
    ]);
  });

  it('throws an error that carries its code and says where each problem is', () => {
    let thrown: unknown;
    try {
      parseRollCsv(csv(HEADER_ZH, '001,王小明,X,1958-03-12,户籍'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RollCsvError);
    expect(thrown).toMatchObject({ code: 'INVALID_ROLL_CSV', name: 'RollCsvError' });
    expect((thrown as Error).message).toContain('line 2 (性别): gender "X"');
  });
});
