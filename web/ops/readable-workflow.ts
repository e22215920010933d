import type { OpsWorkflow } from './ops-types';

/**
 * An arrow's events as people read them: the machine's guard names (`REFUNDED [refundCompletes]`)
 * are code, not words, so they are left out, and an event named twice is named once.
 */
export function readableLabel(label: string): string {
  const events = label
    .split(',')
    .map((part) => part.replace(/\s*\[[^\]]*\]\s*/g, '').trim())
    .filter(Boolean);
  return [...new Set(events)].join(', ');
}

/** The workflow with its Mermaid arrows labelled by {@link readableLabel}, for the diagram. */
export function readableWorkflow(wf: OpsWorkflow): OpsWorkflow {
  const mermaid = (wf.mermaid ?? '')
    .split('\n')
    .map((line) => {
      const arrow = /^(\s*[\w.]+\s*-->\s*[\w.]+\s*:\s*)(.*)$/.exec(line);
      return arrow ? arrow[1] + readableLabel(arrow[2]) : line;
    })
    .join('\n');
  return { ...wf, mermaid };
}
