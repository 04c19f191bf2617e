import { describe, expect, it } from '@jest/globals';
import { latestPublishedFramework } from './framework-baseline.js';
import type { FrameworkState } from './framework.decider.js';

describe('latestPublishedFramework: the regional baseline', () => {
  it('is the published version published last, never a draft nor a retired one', () => {
    expect(latestPublishedFramework([v1, v2, draft, retired])?.version).toBe('v2');
    expect(latestPublishedFramework([v2, v1])?.version).toBe('v2');
  });

  it('orders by publication time, not by label, then by label among equals', () => {
    const early = { ...v2, version: 'v9', publishedAt: '2024-01-01T00:00:00.000Z' };
    expect(latestPublishedFramework([early, v1])?.version).toBe('v1');
    const sameTime = { ...v2, version: 'v1' };
    expect(latestPublishedFramework([sameTime, v2])?.version).toBe('v2');
  });

  it('is undefined when none is published', () => {
    expect(latestPublishedFramework([draft, retired, { status: 'none' }])).toBeUndefined();
    expect(latestPublishedFramework([])).toBeUndefined();
  });

  const content = { title: 'Sample', roles: {}, competencies: {}, requirements: [] };
  const v1 = {
    status: 'published' as const,
    version: 'v1',
    ...content,
    publishedAt: '2025-01-01T00:00:00.000Z',
  };
  const v2 = {
    status: 'published' as const,
    version: 'v2',
    ...content,
    publishedAt: '2025-06-01T00:00:00.000Z',
  };
  const draft: FrameworkState = { status: 'draft', version: 'v3', ...content };
  const retired: FrameworkState = {
    status: 'retired',
    version: 'v4',
    ...content,
    publishedAt: '2025-09-01T00:00:00.000Z',
  };
});
