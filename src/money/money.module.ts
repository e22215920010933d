import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module';
import { MoneyController } from './money.controller';
import { MoneyRepository } from './money.repository';
import { MoneyService } from './money.service';

/** money.md's reads: ledgers, balances, receivables (the steps that write them are the cases'). */
@Module({
  imports: [CasesModule],
  controllers: [MoneyController],
  providers: [MoneyService, MoneyRepository],
  exports: [MoneyRepository, MoneyService],
})
export class MoneyModule {}
