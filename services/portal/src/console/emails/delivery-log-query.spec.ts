import {
  deliveriesApiQuery,
  deliveryLogBack,
  deliveryLogPages,
  deliveryLogUrl,
  readDeliveryLogQuery,
} from './delivery-log-query';

describe("the delivery log page's query", () => {
  const templates = ['welcome', 'announcement'];

  it('keeps known filters, drops unknown ones, and keeps the trail of cursors', () => {
    const q = readDeliveryLogQuery(
      { status: 'failed', template: 'newsletter', recipient: ' Ona@Example.lt ', p: 'abc.d_e-f.!bad' },
      templates,
    );
    expect(q).toEqual({ status: 'failed', template: '', recipient: 'Ona@Example.lt', trail: ['abc', 'd_e-f'] });
    expect(String(deliveriesApiQuery(q))).toBe('status=failed&recipient=Ona%40Example.lt&limit=25&cursor=d_e-f');
    expect(deliveryLogUrl(q)).toBe('/console/emails?status=failed&recipient=Ona%40Example.lt&p=abc.d_e-f');
  });

  it('goes to the next page by adding the cursor, back by dropping the last', () => {
    const q = readDeliveryLogQuery({ template: 'welcome', p: 'one' }, templates);
    expect(deliveryLogPages(q, 'two')).toEqual({
      next: '/console/emails?template=welcome&p=one.two',
      previous: '/console/emails?template=welcome',
    });
    expect(deliveryLogPages({ ...q, trail: [] }, null)).toEqual({ next: null, previous: null });
  });

  it('goes back after a retry only to a delivery log URL', () => {
    expect(deliveryLogBack('/console/emails?status=failed')).toBe('/console/emails?status=failed');
    expect(deliveryLogBack('https://evil.example/console/emails')).toBe('/console/emails');
    expect(deliveryLogBack('//evil.example')).toBe('/console/emails');
    expect(deliveryLogBack(undefined)).toBe('/console/emails');
  });
});
