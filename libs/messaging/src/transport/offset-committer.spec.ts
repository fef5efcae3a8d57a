import { OffsetCommitClient, OffsetCommitter } from './offset-committer';

const silent = { debug: () => undefined, info: () => undefined, warn: jest.fn(), error: () => undefined };

class RecordingClient implements OffsetCommitClient {
  readonly commits: { topic: string; partition: number; offset: string }[][] = [];
  failNext = 0;
  private release: (() => void) | null = null;
  holdNext = false;

  commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void> {
    this.commits.push(offsets);
    if (this.failNext > 0) {
      this.failNext--;
      return Promise.reject(new Error('The coordinator is not available'));
    }
    if (this.holdNext) {
      this.holdNext = false;
      return new Promise((resolve) => (this.release = resolve));
    }
    return Promise.resolve();
  }

  answer(): void {
    this.release?.();
    this.release = null;
  }
}

describe('OffsetCommitter: processed offsets committed beside the fetch loop', () => {
  let client: RecordingClient;
  let committer: OffsetCommitter;

  beforeEach(() => {
    jest.useFakeTimers();
    client = new RecordingClient();
    committer = new OffsetCommitter(client, { delayMs: 100, logger: silent, groupId: 'directory-projection' });
  });

  afterEach(() => {
    committer.close();
    jest.useRealTimers();
  });

  it('commits the next offset to read of each partition, once for everything processed within the delay', async () => {
    committer.processed('t', 0, '4');
    committer.processed('t', 0, '5');
    committer.processed('t', 1, '9');
    expect(client.commits).toHaveLength(0);

    await jest.advanceTimersByTimeAsync(100);

    expect(client.commits).toEqual([
      [
        { topic: 't', partition: 0, offset: '6' },
        { topic: 't', partition: 1, offset: '10' },
      ],
    ]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(client.commits).toHaveLength(1);
  });

  it('never moves a partition back when an older offset is reported after a newer one', async () => {
    committer.processed('t', 0, '7');
    committer.processed('t', 0, '3');
    await jest.advanceTimersByTimeAsync(100);
    expect(client.commits).toEqual([[{ topic: 't', partition: 0, offset: '8' }]]);
  });

  it('keeps one commit in flight: what is processed meanwhile goes in the next one', async () => {
    client.holdNext = true;
    committer.processed('t', 0, '1');
    await jest.advanceTimersByTimeAsync(100);
    committer.processed('t', 0, '2');
    await jest.advanceTimersByTimeAsync(500);
    expect(client.commits).toHaveLength(1);

    client.answer();
    await jest.advanceTimersByTimeAsync(100);
    expect(client.commits).toEqual([
      [{ topic: 't', partition: 0, offset: '2' }],
      [{ topic: 't', partition: 0, offset: '3' }],
    ]);
  });

  it('carries a failed commit into the next one, waiting longer after each failure', async () => {
    client.failNext = 2;
    committer.processed('t', 0, '1');
    await jest.advanceTimersByTimeAsync(100);
    expect(client.commits).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(199);
    expect(client.commits).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(client.commits).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(400);
    expect(client.commits).toEqual([
      [{ topic: 't', partition: 0, offset: '2' }],
      [{ topic: 't', partition: 0, offset: '2' }],
      [{ topic: 't', partition: 0, offset: '2' }],
    ]);
    expect(silent.warn).toHaveBeenCalledTimes(1);
  });

  it('flush while a commit fails carries its offsets at once, and leaves no retry behind', async () => {
    let fail: (error: Error) => void = () => undefined;
    const commits: string[] = [];
    const flaky = new OffsetCommitter(
      {
        commitOffsets: (offsets) => {
          commits.push(offsets.map((o) => `${o.partition}:${o.offset}`).join(','));
          return commits.length === 1 ? new Promise((_, reject) => (fail = reject)) : Promise.resolve();
        },
      },
      { delayMs: 100, logger: silent, groupId: 'directory-projection' },
    );
    flaky.processed('t', 0, '1');
    await jest.advanceTimersByTimeAsync(100); // the first commit is on its way
    const flushed = flaky.flush();
    fail(new Error('The coordinator is not available'));
    await flushed;
    await jest.advanceTimersByTimeAsync(5_000);
    expect(commits).toEqual(['0:2', '0:2']);
    flaky.close();
  });

  it('drops what it holds for partitions the group no longer assigns to it', async () => {
    committer.processed('t', 0, '1');
    committer.processed('t', 1, '1');
    committer.retain({ t: [1] });
    await jest.advanceTimersByTimeAsync(100);
    expect(client.commits).toEqual([[{ topic: 't', partition: 1, offset: '2' }]]);
  });

  it('flush commits at once and waits for it; after close nothing is committed', async () => {
    committer.processed('t', 0, '41');
    await committer.flush();
    expect(client.commits).toEqual([[{ topic: 't', partition: 0, offset: '42' }]]);

    committer.processed('t', 0, '42');
    committer.close();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(client.commits).toHaveLength(1);
  });
});
