import { describe, expect, it } from 'vitest';
import { attemptsNote, filterVerdict, testEventMessage } from '../../../components/activity-log/delivery-wording';

describe('delivery wording', () => {
  it('says the webhook was sent only when a request was rendered', () => {
    const matched = { status: 'DELIVERED', matched: true, rendered: true, lastError: null } as const;
    expect(filterVerdict(matched)).toBe('The filters matched, so the webhook was sent.');
    const renderFailed = { status: 'FAILED', matched: true, rendered: false, lastError: 'template: x' } as const;
    expect(filterVerdict(renderFailed)).toBe(
      'The filters matched, but the request could not be rendered, so nothing was sent.',
    );
    expect(filterVerdict({ ...renderFailed, status: 'RETRYING' })).not.toContain('so the webhook was sent');
    expect(filterVerdict({ status: 'QUEUED', matched: true, rendered: false, lastError: null })).toBe(
      'The filters matched: the webhook is sent at its first attempt.',
    );
    expect(filterVerdict({ status: 'FILTERED', matched: false, rendered: false, lastError: null })).toBe(
      'A filter did not match, so nothing was sent.',
    );
  });

  it('promises no attempts for a filtered delivery, and says a filtered test event was not sent', () => {
    expect(attemptsNote('FILTERED')).toContain('never attempted');
    expect(attemptsNote('QUEUED')).toBeNull();
    expect(testEventMessage(7, 'FILTERED')).toBe('Test event #7 filtered, not sent: a filter did not match');
    expect(testEventMessage(7, 'QUEUED')).toBe('Test event #7 sent');
  });
});
