import { productMetric, searchSchema } from '../../../stack/productMetrics';

describe('Function: productMetric', () => {
  it("names a metric in the product's namespace with service first, then its description's dimensions", () => {
    // Act
    const metric = productMetric('FeishuRateLimited', 'imImage', { kind: 'im' });

    // Assess
    expect(metric).toEqual({
      namespace: 'FeishuImageMirror',
      name: 'FeishuRateLimited',
      dimensions: [
        ['service', 'imImage'],
        ['kind', 'im'],
      ],
    });
  });
});

describe('Function: searchSchema', () => {
  it("writes the schema of a metric's namespace, service and its own dimensions, as SEARCH reads it", () => {
    // Act
    const schema = searchSchema('Errors');

    // Assess
    expect(schema).toBe('{FeishuImageMirror,service,code}');
  });
});
