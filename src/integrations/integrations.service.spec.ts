import { sameShop } from './integrations.service';

describe('sameShop (X-Shopify-Shop-Domain)', () => {
  it.each([
    ['jsmith.myshopify.com', 'jsmith.myshopify.com', true],
    ['JSmith.MyShopify.com', 'jsmith.myshopify.com', true],
    [['jsmith.myshopify.com'], 'jsmith.myshopify.com', true],
    ['other.myshopify.com', 'jsmith.myshopify.com', false],
    [undefined, 'jsmith.myshopify.com', true],
    ['', 'jsmith.myshopify.com', true],
    ['other.myshopify.com', null, true],
  ] as const)('%p against %p: %p', (said, stored, same) => {
    expect(sameShop(said as string | string[] | undefined, stored)).toBe(same);
  });
});
