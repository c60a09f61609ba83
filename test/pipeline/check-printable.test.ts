import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseExamConfig } from '../../src/config/read-exam-config.ts';
import { RnnExamError } from '../../src/errors.ts';
import { checkPrintableText } from '../../src/pipeline/check-printable.ts';

const raw = () => JSON.parse(readFileSync('examples/exam.json', 'utf8')) as Record<string, any>;

describe('checkPrintableText', () => {
  const exam = parseExamConfig(raw(), 'exam.json');

  it('passes the example exam and a roster in many scripts', () => {
    expect(() => checkPrintableText(exam, 'exam.json', [
      { id: 'A1', name: 'Adébáyọ̀ Ọláolúwa', line: 2 }, { id: 'A2', name: '山田 さくら', line: 3 }, { id: 'A3', name: 'अर्जुन शर्मा', line: 4 },
    ], 'roster.csv')).not.toThrow();
  });

  it('names every unprintable character of the exam text with its JSON path, and every student', () => {
    const bad = raw();
    bad.title = 'Final 🎓 exam';
    bad.instructions = [...bad.instructions, 'Use ⚛ nowhere; ნ is fine?'];
    const config = parseExamConfig(bad, 'exam.json');
    let error: RnnExamError | undefined;
    try {
      checkPrintableText(config, 'exam.json', [{ id: 'B7', name: 'Nino ნინო', line: 9 }], 'roster.csv');
    } catch (e) {
      error = e as RnnExamError;
    }
    expect(error).toBeInstanceOf(RnnExamError);
    const where = error!.problems.map((p) => p.where);
    expect(where).toEqual(['roster.csv line 9', 'exam.json: title', `exam.json: instructions[${bad.instructions.length - 1}]`]);
    expect(error!.problems[0].what).toBe('student B7 ("Nino ნინო") has characters no bundled font can print (U+10DC ნ, U+10D8 ი, U+10DD ო)');
    expect(error!.problems[1].what).toBe('the text has emoji, which papers do not print (U+1F393 🎓)');
    expect(error!.problems[2].what).toContain('U+269B ⚛');
    expect(error!.problems[2].what).toContain('U+10DC ნ');
  });
});
