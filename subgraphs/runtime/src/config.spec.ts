import { z } from 'zod';
import { ConfigError, configFields, readConfig } from './config';

describe('readConfig', () => {
  const shape = {
    PORT: configFields.port,
    DATABASE_URL: configFields.postgresUrl,
    MODE: z.enum(['a', 'b']).default('a'),
  };

  it('parses and coerces valid values, applying defaults', () => {
    expect(readConfig(shape, { PORT: '4100', DATABASE_URL: 'postgresql://u:p@localhost:5432/db' })).toEqual({
      PORT: 4100,
      DATABASE_URL: 'postgresql://u:p@localhost:5432/db',
      MODE: 'a',
    });
  });

  it('names every bad or missing variable in one error', () => {
    let error: unknown;
    try {
      readConfig(shape, { PORT: 'eighty', MODE: 'c' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^PORT: /m);
    expect(problems).toMatch(/^DATABASE_URL: is required/m);
    expect(problems).toMatch(/^MODE: /m);
  });

  it('rejects a URL of the wrong kind', () => {
    expect(() => readConfig({ DATABASE_URL: configFields.postgresUrl }, { DATABASE_URL: 'redis://localhost' })).toThrow(
      /DATABASE_URL: must be a postgresql:\/\/ URL/,
    );
  });
});
