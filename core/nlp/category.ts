// 留言分类: the message category (城乡建设, 劳动和社会保障, 教育文体, 商贸旅游, 环境保护, 卫生计生,
// 交通运输 in the shipped model) from lexicons/models/category.json, loaded on first use. The labels
// are whatever the model was trained on (`npm run cli -- train category --data FILE.csv`).
import { MODEL_FILES, shippedModel } from './models';
import { loadTextClassifier, type TextClassifier } from './text-classifier';
import type { Prediction } from './types';

export const CATEGORY_MODEL_FILE = MODEL_FILES.category;
const shipped = shippedModel(() => MODEL_FILES.category, loadTextClassifier);

/** The shipped model, read once; a missing or broken file is a deployment error, so it throws. */
export function categoryModel(): TextClassifier {
  const m = shipped.get();
  if (!m) throw new Error('no category model in place');
  return m;
}

/** Replace the model (tests, or a model trained at run time); undefined goes back to the shipped one. */
export function setCategoryModel(m: TextClassifier | undefined): void {
  shipped.set(m);
}

export function categoryLabels(): readonly string[] {
  return categoryModel().labels;
}

/**
 * The category labels of the current model. Reading it (index, length, iteration, includes…)
 * loads the model on first use, so importing this module stays cheap.
 */
export const CATEGORY_LABELS: readonly string[] = new Proxy([] as string[], {
  get: (_target, prop) => {
    const labels = categoryLabels() as string[];
    const value: unknown = Reflect.get(labels, prop);
    return typeof value === 'function' ? value.bind(labels) : value;
  },
  has: (_target, prop) => Reflect.has(categoryLabels(), prop),
  ownKeys: () => Reflect.ownKeys(categoryLabels()),
  getOwnPropertyDescriptor: (_target, prop) => {
    const d = Reflect.getOwnPropertyDescriptor(categoryLabels(), prop);
    return d && prop !== 'length' ? { ...d, configurable: true } : d;
  },
});

/** Category of one message; `{ label: 'unknown', confidence: 0 }` when there is nothing to read. */
export function classifyCategory(text: string): Prediction {
  return categoryModel().predict(text);
}

export function classifyCategories(texts: readonly string[]): Prediction[] {
  return categoryModel().predictBatch(texts);
}
