import { describe, expect, it } from 'vitest';
import type { Identity } from '@/lib/auth/identity';
import { ENDPOINT_ROWS } from '@/lib/mlflow/permissions';
import { MAX_TAG_VALUE_LENGTH, rejectReservedTags, TAG_BEARING_ENDPOINTS, tagRunCreate, truncateTagValue } from '@/lib/mlflow/run-tagging';

const ada: Identity = {
  userId: 'U2abc',
  username: 'ada',
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  roles: ['mlflow-editor', 'analyst'],
  permissions: [],
  tenants: ['T1', 'T2'],
  tenantRoles: { T1: ['mlflow-editor'] },
  mlflowPermission: 'EDIT',
  isAdmin: false,
  via: 'access-key',
};

const tagsOf = (body: Record<string, unknown>) => Object.fromEntries((body.tags as { key: string; value: string }[]).map((tag) => [tag.key, tag.value]));

describe('rejectReservedTags', () => {
  it.each([
    ['runs/set-tag', { run_id: 'r1', key: 'descope.user_id', value: 'mallory' }],
    ['runs/delete-tag', { run_id: 'r1', key: 'descope.username' }],
    [
      'runs/log-batch',
      {
        run_id: 'r1',
        metrics: [],
        params: [],
        tags: [
          { key: 'ok', value: '1' },
          { key: 'descope.email', value: 'x' },
        ],
      },
    ],
    ['runs/create', { experiment_id: '0', tags: [{ key: 'descope.roles', value: 'admin' }] }],
    ['experiments/set-experiment-tag', { experiment_id: '0', key: 'descope.owner', value: 'x' }],
    ['runs/set-tag', { run_id: 'r1', key: '  DeScOpE.user_id ', value: 'mallory' }],
    // MLflow decodes a JSON-string body a second time (legacy clients), so must we.
    ['runs/set-tag', JSON.stringify({ run_id: 'r1', key: 'descope.user_id', value: 'mallory' })],
  ])('refuses a descope.* tag on %s', (endpoint, body) => {
    expect(rejectReservedTags(endpoint, body)).toMatch(/reserved/);
  });

  it('lets ordinary tags, mlflow.user and non-tag endpoints through', () => {
    expect(rejectReservedTags('runs/set-tag', { run_id: 'r1', key: 'team', value: 'descope.not-a-key' })).toBeNull();
    expect(rejectReservedTags('runs/create', { experiment_id: '0', tags: [{ key: 'mlflow.user', value: 'someone' }] })).toBeNull();
    expect(rejectReservedTags('runs/log-batch', { run_id: 'r1', metrics: [{ key: 'descope.loss', value: 1 }] })).toBeNull();
    expect(rejectReservedTags('runs/search', { filter: "tags.`descope.user_id` = 'ada'" })).toBeNull();
    expect(rejectReservedTags('runs/set-tag', 'not json')).toBeNull();
  });

  it('only names endpoints that exist in the permission table', () => {
    const names = new Set(ENDPOINT_ROWS.map((row) => row.name));
    for (const endpoint of TAG_BEARING_ENDPOINTS) expect(names).toContain(endpoint);
  });
});

describe('tagRunCreate', () => {
  it('stamps the run with the caller and keeps the client fields', () => {
    const result = tagRunCreate({ experiment_id: '7', run_name: 'r', start_time: 1, tags: [{ key: 'team', value: 'vision' }] }, ada);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.body).toMatchObject({ experiment_id: '7', run_name: 'r', start_time: 1, user_id: 'ada' });
    expect(tagsOf(result.body)).toEqual({
      team: 'vision',
      'mlflow.user': 'ada',
      'descope.user_id': 'U2abc',
      'descope.username': 'ada',
      'descope.email': 'ada@example.com',
      'descope.name': 'Ada Lovelace',
      'descope.roles': 'mlflow-editor,analyst',
      'descope.tenants': 'T1,T2',
    });
  });

  it('writes no empty descope.* tag: a caller without email, name, roles, permissions or tenants gets only what is known', () => {
    const key = { ...ada, email: '', name: '', roles: [], permissions: [], tenants: [] };
    const result = tagRunCreate({ experiment_id: '7' }, key);
    if (!result.ok) throw new Error(result.message);
    expect(tagsOf(result.body)).toEqual({ 'mlflow.user': 'ada', 'descope.user_id': 'U2abc', 'descope.username': 'ada' });
    expect((result.body.tags as { value: string }[]).every((tag) => tag.value !== '')).toBe(true);
  });

  it('overwrites the user the client claimed, in every spelling', () => {
    const result = tagRunCreate({ experiment_id: '7', userId: 'mallory', user_id: 'mallory', tags: [{ key: 'mlflow.user', value: 'mallory' }] }, ada);
    if (!result.ok) throw new Error(result.message);
    expect(result.body.user_id).toBe('ada');
    expect(result.body).not.toHaveProperty('userId');
    const userTags = (result.body.tags as { key: string; value: string }[]).filter((tag) => tag.key === 'mlflow.user');
    expect(userTags).toEqual([{ key: 'mlflow.user', value: 'ada' }]);
  });

  it('accepts a body with no tags and a legacy double-encoded body', () => {
    expect(tagRunCreate({ experiment_id: '7' }, ada).ok).toBe(true);
    const legacy = tagRunCreate(JSON.stringify({ experiment_id: '7' }), ada);
    expect(legacy.ok && legacy.body.experiment_id).toBe('7');
  });

  it.each([
    ['an array', []],
    ['null', null],
    ['a number', 42],
    ['a non-JSON string', 'experiment_id=7'],
    ['tags that are not a list', { experiment_id: '7', tags: { key: 'a', value: 'b' } }],
    ['a tag without a string key', { experiment_id: '7', tags: [{ value: 'b' }] }],
    ['a descope.* tag', { experiment_id: '7', tags: [{ key: 'Descope.Username', value: 'root' }] }],
  ])('refuses %s', (_, body) => {
    const result = tagRunCreate(body, ada);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message.length).toBeGreaterThan(0);
  });

  it("cuts long values to MLflow's 8000-character limit without splitting a character", () => {
    const roles = Array.from({ length: 2000 }, (_, i) => `role-${i}`);
    const result = tagRunCreate({ experiment_id: '7' }, { ...ada, roles });
    if (!result.ok) throw new Error(result.message);
    expect(tagsOf(result.body)['descope.roles']).toHaveLength(MAX_TAG_VALUE_LENGTH);
    const emoji = '😀'.repeat(MAX_TAG_VALUE_LENGTH + 5);
    expect(Array.from(truncateTagValue(emoji))).toHaveLength(MAX_TAG_VALUE_LENGTH);
    expect(truncateTagValue(emoji).endsWith('😀')).toBe(true);
  });
});
