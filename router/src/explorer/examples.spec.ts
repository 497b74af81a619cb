import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { committedApiSchema } from '../../../schema/api-schema';
import { getVariableValues, Kind, parse, validate, type OperationDefinitionNode } from 'graphql';
import { EXAMPLES_DIR, EXPLORER_EXAMPLES, exampleTabs } from './examples';

// The API schema clients see: what GraphiQL introspects and the router validates against.
const apiSchema = committedApiSchema();

describe('explorer examples', () => {
  it('lists every file under examples/ exactly once', () => {
    const files = EXPLORER_EXAMPLES.map((example) => example.file);
    expect([...files].sort()).toEqual(readdirSync(EXAMPLES_DIR).sort());
  });

  it.each(EXPLORER_EXAMPLES.map((example) => [example.file, example] as const))(
    '%s is one named operation that validates against the supergraph, with valid variables',
    (_file, example) => {
      const document = parse(readFileSync(path.join(EXAMPLES_DIR, example.file), 'utf8'));
      expect(validate(apiSchema, document)).toEqual([]);
      const operations = document.definitions.filter(
        (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
      );
      expect(operations).toHaveLength(1);
      const [operation] = operations;
      expect(operation?.name?.value).toEqual(expect.any(String));
      const coerced = getVariableValues(apiSchema, operation?.variableDefinitions ?? [], example.variables ?? {});
      expect(coerced.errors).toBeUndefined();
    },
  );

  it('tells in the comment of each example that needs a token how to send it', () => {
    for (const example of EXPLORER_EXAMPLES.filter(({ signIn }) => signIn)) {
      const comment = readFileSync(path.join(EXAMPLES_DIR, example.file), 'utf8').split(
        /^(query|mutation|subscription) /m,
      )[0];
      expect([example.file, comment]).toEqual([example.file, expect.stringContaining('{"Authorization": "Bearer')]);
    }
  });

  it('covers every domain: catalog, login, me, live order status, reviews, coupons and an admin mutation', () => {
    const names = exampleTabs().map((tab) => /^(query|mutation|subscription) (\w+)/m.exec(tab.query)?.[2]);
    expect(names).toEqual([
      'Catalog',
      'Login',
      'Me',
      'MyOrderUpdates',
      'ProductReviews',
      'ValidateCoupon',
      'CreateCoupon',
    ]);
  });

  it('keeps the first tab free of variables (GraphiQL 3 drops them on a first visit), others as JSON', () => {
    const tabs = exampleTabs();
    expect(JSON.parse(tabs[1]?.variables ?? '')).toEqual({ email: 'customer@minishop.dev', password: 'customer123!' });
    expect(tabs[0]).not.toHaveProperty('variables');
  });
});
