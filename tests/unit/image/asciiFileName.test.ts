import { asciiFileName } from '../../../lib/image/asciiFileName';

describe('Function: asciiFileName', () => {
  it('drops the accents of Latin letters', () => {
    // Act
    const name = asciiFileName('Café résumé.png');

    // Assess
    expect(name).toBe('Cafe resume.png');
  });

  it('drops the accents of a name whose letters come decomposed', () => {
    // Act
    const name = asciiFileName('Cafe\u0301 re\u0301sume\u0301.png');

    // Assess
    expect(name).toBe('Cafe resume.png');
  });

  it('makes each character that has no ASCII form one underscore', () => {
    // Act
    const names = [asciiFileName('架构图 v2.png'), asciiFileName('한글 문서.png')];

    // Assess
    expect(names).toEqual(['___ v2.png', '__ __.png']);
  });

  it('gives full-width letters their ASCII form, and an underscore for a full-width slash or colon', () => {
    // Act
    const name = asciiFileName('Ｒｅｐｏｒｔ／２０２６：Ｑ１.png');

    // Assess
    expect(name).toBe('Report_2026_Q1.png');
  });

  it('keeps a name in ASCII as it is', () => {
    // Act
    const name = asciiFileName('architecture diagram v2.png');

    // Assess
    expect(name).toBe('architecture diagram v2.png');
  });
});
