import { Module } from '@nestjs/common';
import { PartyRecords } from './party-records.service';
import { PartySecrets } from './party-secrets.service';

/** What merchants and suppliers share: sealed webhook secrets, profile changes and pages. */
@Module({ providers: [PartySecrets, PartyRecords], exports: [PartySecrets, PartyRecords] })
export class PartiesModule {}
