import { Foundation1795446000000 } from './1795446000000-Foundation';
import { Cases1795446100000 } from './1795446100000-Cases';
import { AuditProofs1795446200000 } from './1795446200000-AuditProofs';
import { KeysAndSecrets1795446230000 } from './1795446230000-KeysAndSecrets';
import { Collaboration1795446300000 } from './1795446300000-Collaboration';
import { EvidenceFiles1795446500000 } from './1795446500000-EvidenceFiles';
import { SupplierAccess1795446400000 } from './1795446400000-SupplierAccess';
import { Money1795446700000 } from './1795446700000-Money';
import { Intake1795446800000 } from './1795446800000-Intake';
import { LostAndDisputed1795446900000 } from './1795446900000-LostAndDisputed';
import { LostParcelTimers1795447200000 } from './1795447200000-LostParcelTimers';
import { CasesByOrderRef1795447210000 } from './1795447210000-CasesByOrderRef';
import { TrackingRedrive1795447220000 } from './1795447220000-TrackingRedrive';
import { LinkIdempotency1795447230000 } from './1795447230000-LinkIdempotency';

/** Every migration, oldest first. Listed by hand so the app, the CLI and jest load the same set. */
export const MIGRATIONS = [
  Foundation1795446000000,
  Cases1795446100000,
  AuditProofs1795446200000,
  KeysAndSecrets1795446230000,
  Collaboration1795446300000,
  EvidenceFiles1795446500000,
  SupplierAccess1795446400000,
  Money1795446700000,
  Intake1795446800000,
  LostAndDisputed1795446900000,
  LostParcelTimers1795447200000,
  CasesByOrderRef1795447210000,
  TrackingRedrive1795447220000,
  LinkIdempotency1795447230000,
];
