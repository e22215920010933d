import * as workflows from '../workflows';
import { WorkflowCatalog } from './workflow-catalog';

describe('WorkflowCatalog', () => {
  afterEach(() => jest.restoreAllMocks());

  it('checks the machines when it is built: a failing check stops the boot', () => {
    const verify = jest.spyOn(workflows, 'verifyWorkflows');
    new WorkflowCatalog();
    expect(verify).toHaveBeenCalledTimes(1);

    verify.mockImplementation(() => {
      throw new Error('state lost is unreachable');
    });
    expect(() => new WorkflowCatalog()).toThrow('state lost is unreachable');
  });

  it('lists every case type and describes one, or nothing for a type that does not exist', () => {
    const catalog = new WorkflowCatalog();

    expect(catalog.list().map((w) => w.type)).toEqual([...workflows.CASE_TYPES]);
    expect(catalog.describe('oversize')?.type).toBe('oversize');
    expect(catalog.describe('teleport')).toBeUndefined();
  });
});
