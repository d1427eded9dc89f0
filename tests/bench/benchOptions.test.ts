import { benchOptions } from '../../bench/BenchOptions';

describe('Function: benchOptions, the network profiles of npm run bench', () => {
  it('measures under aws-to-feishu and loopback by default, the shaped profile first', () => {
    // Act
    const options = benchOptions([]);

    // Assess
    expect(options.profiles.map((profile) => profile.name)).toEqual(['aws-to-feishu', 'loopback']);
    expect(options.profiles[0]).toMatchObject({
      feishu: { rttMs: 60, bitsPerSecond: 100e6 },
      s3: { rttMs: 4, bitsPerSecond: 1e9 },
    });
    expect(options.profiles[1]?.feishu).toBeUndefined();
  });

  it('takes one profile by name, and overrides the shaped links figure by figure', () => {
    // Act
    const loopback = benchOptions(['--profile=loopback']);
    const slower = benchOptions(['--profile=aws-to-feishu', '--feishu-rtt=120', '--s3-mbps=500']);

    // Assess
    expect(loopback.profiles.map((profile) => profile.name)).toEqual(['loopback']);
    expect(slower.profiles).toHaveLength(1);
    expect(slower.profiles[0]).toMatchObject({
      feishu: { rttMs: 120, bitsPerSecond: 100e6 },
      s3: { rttMs: 4, bitsPerSecond: 500e6 },
      description: 'Feishu 120 ms RTT and 100 Mbit/s, S3 4 ms RTT and 500 Mbit/s',
    });
  });

  it.each([
    ['an unknown profile', ['--profile=moon'], 'unknown profile moon'],
    ['a figure that is not a number', ['--feishu-rtt=far'], '--feishu-rtt takes a number'],
    ['an unknown option', ['--rtt=5'], 'unknown option --rtt=5'],
  ])('refuses %s', (_case, args, message) => {
    // Act
    const read = () => benchOptions(args);

    // Assess
    expect(read).toThrow(message);
  });
});
