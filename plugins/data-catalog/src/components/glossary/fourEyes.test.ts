import { describe, expect, it } from 'vitest';
import { isSoleAuthor } from './fourEyes';

describe('isSoleAuthor', () => {
  const ada = 'user:default/ada';
  const bob = 'user:default/bob';

  it('is true for the user who proposed the term and made its latest edit', () => {
    expect(isSoleAuthor({ createdBy: ada, updatedBy: ada }, ada)).toBe(true);
  });

  it('is false when another user proposed or last edited the term', () => {
    expect(isSoleAuthor({ createdBy: ada, updatedBy: bob }, ada)).toBe(false);
    expect(isSoleAuthor({ createdBy: bob, updatedBy: ada }, ada)).toBe(false);
    expect(isSoleAuthor({ createdBy: bob, updatedBy: bob }, ada)).toBe(false);
  });

  it('is false while the current user is not known yet', () => {
    expect(isSoleAuthor({ createdBy: ada, updatedBy: ada }, undefined)).toBe(false);
  });
});
