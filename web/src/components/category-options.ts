import { useQuery } from '@apollo/client/react';
import { CategoriesDocument } from '../graphql/generated';

/** Top-level categories and their children as select options, the children labelled "Parent › Child". */
export function useCategoryOptions() {
  const categories = useQuery(CategoriesDocument);
  const options = (categories.data?.categories ?? [])
    .filter((category) => !category.parent)
    .flatMap((category) => [
      { value: category.id, label: category.name },
      ...category.children.map((child) => ({ value: child.id, label: `${category.name} › ${child.name}` })),
    ]);
  return {
    options,
    loading: categories.loading && !categories.data,
    failed: Boolean(categories.error) && !categories.data,
  };
}
