import { Semaphore } from '../../../lib/runtime/Semaphore';

describe('Class: Semaphore', () => {
  it('lets no more than its size hold it at once, and the others in order as places free up', async () => {
    // Prepare
    const slots = new Semaphore(2);
    const order: string[] = [];
    let holding = 0;
    let most = 0;
    const work = async (name: string, ms: number) => {
      const release = await slots.acquire();
      holding += 1;
      most = Math.max(most, holding);
      order.push(name);
      await new Promise((resolve) => setTimeout(resolve, ms));
      holding -= 1;
      release();
    };

    // Act
    await Promise.all([work('a', 20), work('b', 5), work('c', 5), work('d', 5)]);

    // Assess
    expect(most).toBe(2);
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });

  it('ignores a second release of the same place', async () => {
    // Prepare
    const slots = new Semaphore(1);
    const first = await slots.acquire();
    first();
    first();
    const second = await slots.acquire();
    let thirdGot = false;

    // Act
    const third = slots.acquire().then((release) => {
      thirdGot = true;
      return release;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));

    // Assess
    expect(thirdGot).toBe(false);
    second();
    (await third)();
    expect(thirdGot).toBe(true);
  });
});
