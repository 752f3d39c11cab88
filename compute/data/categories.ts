/** How a feature column is read: as numbers, or as categories (any text, each distinct value one category). */
export type ColumnType = 'numeric' | 'categorical';

/** A column's type as the user set it; 'auto' takes the detected one. */
export type ColumnTypeChoice = ColumnType | 'auto';

/**
 * How a categorical feature becomes numbers: 'one-hot' gives one 0/1 feature per category (right
 * for unordered categories), 'index' one feature holding the category's position (0, 1, 2, …),
 * right for ordered ones or many categories.
 */
export type CategoricalEncoding = 'one-hot' | 'index';

export const COLUMN_TYPE_CHOICES: readonly ColumnTypeChoice[] = ['auto', 'numeric', 'categorical'];
export const CATEGORICAL_ENCODINGS: readonly CategoricalEncoding[] = ['one-hot', 'index'];

/** Categories in a stable order (sorted), so the same file always encodes the same way. */
export function sortedCategories(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Features one column takes once encoded. */
export function encodedWidth(type: ColumnType, categories: number, encoding: CategoricalEncoding): number {
  return type === 'categorical' && encoding === 'one-hot' ? categories : 1;
}
