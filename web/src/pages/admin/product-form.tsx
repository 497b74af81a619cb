import { useMutation } from '@apollo/client/react';
import { NumberInput, Select, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useCategoryOptions } from '../../components/category-options';
import { toMinorUnits } from '../../format';
import {
  AdminProductsDocument,
  CreateProductDocument,
  UpdateProductDocument,
  type AdminProductFieldsFragment,
} from '../../graphql/generated';
import { ModalForm, notifySuccess } from './modal';

/** New products are priced in the shop's currency (the seed catalog is all EUR). */
const CURRENCY = 'EUR';

interface ProductFormProps {
  /** The product to edit; without it the form creates one. */
  product?: AdminProductFieldsFragment;
  onDone: () => void;
}

/** Create or edit a product. The server checks SKU, name and description rules; its message shows here. */
export function ProductForm({ product, onDone }: ProductFormProps) {
  const [sku, setSku] = useState(product?.sku ?? '');
  const [name, setName] = useState(product?.name ?? '');
  const [description, setDescription] = useState(product?.description ?? '');
  const [price, setPrice] = useState(product ? (product.price.amount / 100).toFixed(2) : '');
  const [categoryId, setCategoryId] = useState<string | null>(product?.category.id ?? null);
  const [initialStock, setInitialStock] = useState<number | string>(0);
  const [submitted, setSubmitted] = useState(false);
  const categories = useCategoryOptions();
  const [create, created] = useMutation(CreateProductDocument, { refetchQueries: [AdminProductsDocument] });
  const [update, updated] = useMutation(UpdateProductDocument);
  const { loading, error } = product ? updated : created;

  const amount = toMinorUnits(price);
  const errors = {
    price: amount === null ? 'Enter a price like 12.50' : null,
    category: categoryId ? null : 'Choose a category',
    initialStock:
      typeof initialStock === 'number' && Number.isInteger(initialStock) && initialStock >= 0
        ? null
        : 'Enter 0 or more units',
  };

  const submit = async () => {
    setSubmitted(true);
    if (amount === null || !categoryId || (!product && errors.initialStock)) return;
    const fields = {
      sku: sku.trim(),
      name: name.trim(),
      description: description.trim(),
      price: { amount, currency: product?.price.currency ?? CURRENCY },
      categoryId,
    };
    const ignoreError = () => ({ data: undefined });
    if (product) {
      const { data } = await update({ variables: { id: product.id, input: fields } }).catch(ignoreError);
      if (!data) return;
      notifySuccess('Changes saved');
    } else {
      const stock = typeof initialStock === 'number' ? initialStock : 0;
      const { data } = await create({ variables: { input: { ...fields, initialStock: stock } } }).catch(ignoreError);
      if (!data) return;
      notifySuccess('Product created');
    }
    onDone();
  };

  return (
    <ModalForm
      submitLabel={product ? 'Save changes' : 'Create product'}
      onSubmit={submit}
      onCancel={onDone}
      loading={loading}
      error={error}
    >
      <TextInput
        label="SKU"
        description="Upper-case letters, digits and dashes, e.g. ELE-AUD-010"
        value={sku}
        onChange={(e) => setSku(e.currentTarget.value)}
        required
        data-autofocus
      />
      <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} required />
      <Textarea
        label="Description"
        autosize
        minRows={3}
        maxRows={8}
        value={description}
        onChange={(e) => setDescription(e.currentTarget.value)}
      />
      <TextInput
        label="Price"
        description={`In ${product?.price.currency ?? CURRENCY}`}
        inputMode="decimal"
        placeholder="12.50"
        value={price}
        onChange={(e) => setPrice(e.currentTarget.value)}
        error={submitted && errors.price}
        required
      />
      <Select
        label="Category"
        placeholder={categories.loading ? 'Loading categories…' : 'Choose a category'}
        data={categories.options}
        value={categoryId}
        onChange={setCategoryId}
        searchable
        disabled={categories.loading}
        error={categories.failed ? 'The categories could not be loaded' : submitted && errors.category}
        required
      />
      {!product && (
        <NumberInput
          label="Initial stock"
          min={0}
          allowNegative={false}
          allowDecimal={false}
          value={initialStock}
          onChange={setInitialStock}
          error={submitted && errors.initialStock}
        />
      )}
    </ModalForm>
  );
}
