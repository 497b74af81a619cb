import { buildASTSchema, buildSchema, parse, printSchema, visit } from 'graphql';
import { committedApiSchema } from './api-schema';
import { diff } from '@graphql-inspector/core';
import { isBreaking } from './breaking-changes';

const current = committedApiSchema();
const printed = printSchema(current);

describe('schema breaking-change check', () => {
  it('finds nothing between a schema and itself', async () => {
    expect(await diff(current, buildSchema(printed))).toEqual([]);
  });

  it('reports a removed field as breaking and an added one as safe', async () => {
    const withoutSku = buildASTSchema(
      visit(parse(printed), {
        ObjectTypeDefinition: (type) =>
          type.name.value === 'Product'
            ? { ...type, fields: type.fields?.filter((field) => field.name.value !== 'sku') }
            : undefined,
      }),
    );
    const removed = await diff(current, withoutSku);
    expect(removed.filter(isBreaking).map((change) => change.path)).toContain('Product.sku');

    const added = await diff(withoutSku, current);
    expect(added.map((change) => change.path)).toContain('Product.sku');
    expect(added.filter(isBreaking)).toEqual([]);
  });
});
