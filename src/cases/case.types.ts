import type { ActorKind } from '../workflows';

/** Who acted: on the timeline as `actor: {kind, id}`. */
export interface Actor {
  kind: ActorKind;
  id: string | null;
}

/** The row of `cases` joined with what applying an event needs of its merchant and supplier. */
export interface CaseRow {
  id: string;
  merchant_id: string;
  supplier_id: string;
  type: string;
  phase: string;
  machine_id: string;
  workflow_version: number;
  snapshot: unknown;
  state: string;
  status: 'open' | 'closed';
  outcome: string | null;
  order_snapshot: Record<string, unknown>;
  description: string | null;
  buyer_language: string | null;
  preferred_resolution: string | null;
  breached: boolean;
  evidence_count: number;
  photo_video_count: number;
  version: number;
  last_hash: string;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  evidence?: EvidenceRow[];
  deadlines?: TimerRow[];
}

export interface EvidenceRow {
  id: string;
  kind: string;
  url: string;
  sha256: string | null;
  description: string | null;
  added_by: Actor;
  created_at: string;
}

export interface TimerRow {
  kind: string;
  due_at: string;
  fired_at: string | null;
  breached: boolean;
}
