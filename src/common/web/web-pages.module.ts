import { Module } from '@nestjs/common';
import { CaseLinksController } from './case-links.controller';

/** The browser pages' routes that are not files: deep links to a case (web-pages.ts serves the files). */
@Module({ controllers: [CaseLinksController] })
export class WebPagesModule {}
